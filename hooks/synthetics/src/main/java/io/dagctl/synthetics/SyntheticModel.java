package io.dagctl.synthetics;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * A model as the service last reported it.
 *
 * @param error       why the model ended in error, cancelled or lost
 * @param qualityScore the Synthetic Quality Score (0–100) once completed
 */
public record SyntheticModel(String id, String name, ModelStatus status, Optional<String> error,
                             OptionalInt qualityScore) {
}
