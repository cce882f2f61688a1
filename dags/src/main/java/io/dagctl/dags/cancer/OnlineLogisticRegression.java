package io.dagctl.dags.cancer;

import io.dagctl.dags.cancer.CancerData.Sample;
import java.util.List;
import org.hipparchus.linear.ArrayRealVector;
import org.hipparchus.linear.RealVector;
import org.hipparchus.util.FastMath;

/**
 * Logistic regression learned online with Adam (Kingma and Ba, 2015) on mini-batches, in the order the samples
 * come: deterministic for a given sequence of batches. The scores 1 to 10 are scaled to [-1, 1] from that documented
 * range rather than from statistics of the data seen so far, so that every batch sees the same scale. Vector
 * arithmetic is Hipparchus's, which the training hook already uses.
 *
 * <p>The state — weights, bias, Adam's moment estimates and step count — is a {@link Checkpoint}: a model restored
 * from one trains on exactly as the saved one would have.
 */
public final class OnlineLogisticRegression {
    /** Adam's step size and the defaults of its paper for the rest. */
    static final double LEARNING_RATE = 0.05;
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;
    /** Samples per gradient step. */
    static final int MINI_BATCH = 8;
    /** Probabilities are kept this far from 0 and 1 in the log loss, as scikit-learn's log_loss clips them. */
    private static final double CLIP = 1e-15;
    private static final int PARAMETERS = CancerData.FEATURES + 1;

    private RealVector parameters;
    private RealVector firstMoment;
    private RealVector secondMoment;
    private long steps;
    private long trainedSamples;

    private OnlineLogisticRegression(RealVector parameters, RealVector firstMoment, RealVector secondMoment,
            long steps, long trainedSamples) {
        this.parameters = parameters;
        this.firstMoment = firstMoment;
        this.secondMoment = secondMoment;
        this.steps = steps;
        this.trainedSamples = trainedSamples;
    }

    /** A model that has seen nothing: every weight zero, so it predicts 0.5 for all. */
    public static OnlineLogisticRegression untrained() {
        return new OnlineLogisticRegression(new ArrayRealVector(PARAMETERS), new ArrayRealVector(PARAMETERS),
                new ArrayRealVector(PARAMETERS), 0, 0);
    }

    /** The state a model is saved as; the last parameter is the bias. */
    public record Checkpoint(double[] parameters, double[] firstMoment, double[] secondMoment, long steps,
            long trainedSamples) {
    }

    public static OnlineLogisticRegression restore(Checkpoint checkpoint) {
        return new OnlineLogisticRegression(new ArrayRealVector(checkpoint.parameters()),
                new ArrayRealVector(checkpoint.firstMoment()), new ArrayRealVector(checkpoint.secondMoment()),
                checkpoint.steps(), checkpoint.trainedSamples());
    }

    public Checkpoint checkpoint() {
        return new Checkpoint(parameters.toArray(), firstMoment.toArray(), secondMoment.toArray(), steps,
                trainedSamples);
    }

    /** Passes over the samples {@code epochs} times, one Adam step per {@link #MINI_BATCH} samples, in order. */
    public void train(List<Sample> samples, int epochs) {
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (int start = 0; start < samples.size(); start += MINI_BATCH) {
                step(samples.subList(start, Math.min(start + MINI_BATCH, samples.size())));
            }
        }
        trainedSamples += samples.size();
    }

    private void step(List<Sample> batch) {
        RealVector gradient = new ArrayRealVector(PARAMETERS);
        for (Sample sample : batch) {
            RealVector x = input(sample);
            gradient = gradient.add(x.mapMultiply(sigmoid(parameters.dotProduct(x)) - sample.label()));
        }
        gradient.mapDivideToSelf(batch.size());
        steps++;
        firstMoment = firstMoment.mapMultiply(BETA1).add(gradient.mapMultiply(1 - BETA1));
        secondMoment = secondMoment.mapMultiply(BETA2).add(gradient.ebeMultiply(gradient).mapMultiply(1 - BETA2));
        RealVector firstUnbiased = firstMoment.mapDivide(1 - FastMath.pow(BETA1, steps));
        RealVector secondUnbiased = secondMoment.mapDivide(1 - FastMath.pow(BETA2, steps));
        parameters = parameters.subtract(firstUnbiased.ebeDivide(secondUnbiased.map(FastMath::sqrt).mapAdd(EPSILON))
                .mapMultiply(LEARNING_RATE));
    }

    /** The probability that the sample is malignant. */
    public double probability(Sample sample) {
        return sigmoid(parameters.dotProduct(input(sample)));
    }

    /** How many samples the model was trained on, counting each once however many epochs it took. */
    public long trainedSamples() {
        return trainedSamples;
    }

    /** Accuracy, precision and recall (of the malignant class, at probability 0.5) and mean log loss. */
    public Scores score(List<Sample> samples) {
        int truePositives = 0;
        int falsePositives = 0;
        int falseNegatives = 0;
        int correct = 0;
        double logLoss = 0;
        for (Sample sample : samples) {
            double p = FastMath.min(FastMath.max(probability(sample), CLIP), 1 - CLIP);
            int predicted = p >= 0.5 ? 1 : 0;
            correct += predicted == sample.label() ? 1 : 0;
            truePositives += predicted == 1 && sample.label() == 1 ? 1 : 0;
            falsePositives += predicted == 1 && sample.label() == 0 ? 1 : 0;
            falseNegatives += predicted == 0 && sample.label() == 1 ? 1 : 0;
            logLoss -= sample.label() == 1 ? FastMath.log(p) : FastMath.log(1 - p);
        }
        return new Scores((double) correct / samples.size(),
                truePositives + falsePositives == 0 ? 0 : (double) truePositives / (truePositives + falsePositives),
                truePositives + falseNegatives == 0 ? 0 : (double) truePositives / (truePositives + falseNegatives),
                logLoss / samples.size(), samples.size());
    }

    /** How a model did on a test set. */
    public record Scores(double accuracy, double precision, double recall, double logLoss, int samples) {
    }

    /** The scores scaled to [-1, 1], and a constant 1 for the bias. */
    private static RealVector input(Sample sample) {
        double[] x = new double[PARAMETERS];
        for (int i = 0; i < CancerData.FEATURES; i++) {
            x[i] = (sample.features()[i] - 5.5) / 4.5;
        }
        x[CancerData.FEATURES] = 1;
        return new ArrayRealVector(x, false);
    }

    private static double sigmoid(double z) {
        return 1 / (1 + FastMath.exp(-z));
    }
}
