package io.dagctl.synthetics;

import java.util.OptionalLong;

/**
 * What to train and generate.
 *
 * @param name       a label shown with the model
 * @param numRecords how many records to generate; 0 for as many as the training data has
 * @param seed       fixes the randomness, for reproducible output; empty for a fresh draw
 */
public record ModelConfig(String name, int numRecords, OptionalLong seed) {

    public ModelConfig {
        if (numRecords < 0) {
            throw new IllegalArgumentException("numRecords must be 0 (as many as the training data) or positive, was "
                    + numRecords);
        }
    }

    /** As many records as the training data, unseeded. */
    public static ModelConfig defaults() {
        return new ModelConfig("synthetic-data", 0, OptionalLong.empty());
    }

    public ModelConfig withName(String name) {
        return new ModelConfig(name, numRecords, seed);
    }

    public ModelConfig withNumRecords(int numRecords) {
        return new ModelConfig(name, numRecords, seed);
    }

    public ModelConfig withSeed(long seed) {
        return new ModelConfig(name, numRecords, OptionalLong.of(seed));
    }
}
