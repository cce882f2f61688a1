package io.dagctl.synthetics.service.internal;

import java.util.List;

/**
 * Trains on booking-shaped rows and generates as many: prints rows/s for training and for generation, the time of
 * the quality report, and the scores. Run with {@code mvn -pl hooks/synthetics exec:java
 * -Dexec.classpathScope=test -Dexec.mainClass=io.dagctl.synthetics.service.internal.SynthesizerBenchmark
 * [-Dexec.args=rows]}.
 */
public final class SynthesizerBenchmark {
    private SynthesizerBenchmark() {
    }

    public static void main(String[] args) {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        Table training = BookingFeatures.generate(rows, 42);
        // A first, cold round (what the first model of a fresh service costs), then a warm one that measures
        // compiled code, as a long-running service runs it.
        long c0 = System.nanoTime();
        CopulaSynthesizer cold = CopulaSynthesizer.train(training, 1);
        Table coldSynthetic = cold.generate(rows, 2);
        long c1 = System.nanoTime();
        QualityEvaluator.evaluate(training, coldSynthetic, cold.profiles(), cold.constraints());
        long c2 = System.nanoTime();
        System.out.printf("cold:     train + generate %.1f ms, report %.1f ms%n", (c1 - c0) / 1e6, (c2 - c1) / 1e6);

        long t0 = System.nanoTime();
        CopulaSynthesizer model = CopulaSynthesizer.train(training, 7);
        long t1 = System.nanoTime();
        Table synthetic = model.generate(rows, 8);
        long t2 = System.nanoTime();
        QualityReport report = QualityEvaluator.evaluate(training, synthetic, model.profiles(), model.constraints());
        long t3 = System.nanoTime();

        System.out.printf("rows: %d, cores: %d%n", rows, Runtime.getRuntime().availableProcessors());
        System.out.printf("train:    %7.1f ms  %,10.0f rows/s%n", (t1 - t0) / 1e6, rows / ((t1 - t0) / 1e9));
        System.out.printf("generate: %7.1f ms  %,10.0f rows/s%n", (t2 - t1) / 1e6, rows / ((t2 - t1) / 1e9));
        System.out.printf("report:   %7.1f ms%n", (t3 - t2) / 1e6);
        System.out.printf("SQS %d (%s)  FCS %d  PCS %d  FDS %d  mean JS distance %.4f  mean |Δcorrelation| %.4f%n",
                report.syntheticQualityScore().score(), report.syntheticQualityScore().grade(),
                report.fieldCorrelationStability().score(), report.principalComponentStability().score(),
                report.fieldDistributionStability().score(), report.meanJensenShannonDistance(),
                report.meanCorrelationDifference());
        System.out.printf("PCS: spectrum distance %.4f, %d axes, subspace similarity %.4f%n",
                report.principalComponents().spectrumDistance(), report.principalComponents().axesCompared(),
                report.principalComponents().subspaceSimilarity());
        QualityReport.Privacy privacy = report.privacy();
        System.out.printf("exact matches %d; NN synthetic→training min %.3f p5 %.3f median %.3f;"
                        + " training→training min %.3f p5 %.3f median %.3f%n", privacy.exactMatches(),
                privacy.syntheticToTraining().min(), privacy.syntheticToTraining().percentile5(),
                privacy.syntheticToTraining().median(), privacy.trainingToTraining().min(),
                privacy.trainingToTraining().percentile5(), privacy.trainingToTraining().median());
        for (QualityReport.Field f : report.fields()) {
            System.out.printf("  %-28s %-11s JS %.4f  null %.3f/%.3f%n", f.name(), f.kind(),
                    f.jensenShannonDistance(), f.trainingNullRate(), f.syntheticNullRate());
        }
        List<String> names = report.correlations().fields();
        double[][] t = report.correlations().training();
        double[][] s = report.correlations().synthetic();
        for (int a = 0; a < names.size(); a++) {
            for (int b = 0; b < names.size(); b++) {
                if (a != b && Math.abs(t[a][b] - s[a][b]) > 0.05) {
                    System.out.printf("  Δ %s|%s: %.3f vs %.3f%n", names.get(a), names.get(b), t[a][b], s[a][b]);
                }
            }
        }
    }
}
