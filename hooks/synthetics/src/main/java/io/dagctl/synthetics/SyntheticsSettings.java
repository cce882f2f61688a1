package io.dagctl.synthetics;

import io.dagctl.Secrets;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Where the service is and how patiently to talk to it.
 *
 * @param maxAttempts     attempts per call, counting the first, on connect errors, 5xx and 429
 * @param initialBackoff  the wait before the first retry; it doubles per retry up to {@code maxBackoff}
 * @param pollInterval    the first wait between status polls; it grows by half per poll up to {@code maxPollInterval}
 */
public record SyntheticsSettings(URI baseUri, Optional<String> apiKey, String project, int maxAttempts,
                                 Duration initialBackoff, Duration maxBackoff, Duration pollInterval,
                                 Duration maxPollInterval) {

    public SyntheticsSettings {
        apiKey.ifPresent(Secrets::register);
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
    }

    public static SyntheticsSettings of(URI baseUri, Optional<String> apiKey) {
        return new SyntheticsSettings(baseUri, apiKey, "dagctl", 5, Duration.ofMillis(500), Duration.ofSeconds(30),
                Duration.ofMillis(250), Duration.ofSeconds(10));
    }

    public SyntheticsSettings withProject(String project) {
        return new SyntheticsSettings(baseUri, apiKey, project, maxAttempts, initialBackoff, maxBackoff, pollInterval,
                maxPollInterval);
    }

    public SyntheticsSettings withRetries(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
        return new SyntheticsSettings(baseUri, apiKey, project, maxAttempts, initialBackoff, maxBackoff, pollInterval,
                maxPollInterval);
    }

    public SyntheticsSettings withPolling(Duration pollInterval, Duration maxPollInterval) {
        return new SyntheticsSettings(baseUri, apiKey, project, maxAttempts, initialBackoff, maxBackoff, pollInterval,
                maxPollInterval);
    }

    @Override
    public String toString() {
        return "SyntheticsSettings[baseUri=" + baseUri + ", apiKey=" + apiKey.map(k -> Secrets.MASK).orElse("none")
                + ", project=" + project + ", maxAttempts=" + maxAttempts + ", initialBackoff=" + initialBackoff
                + ", maxBackoff=" + maxBackoff + ", pollInterval=" + pollInterval + ", maxPollInterval="
                + maxPollInterval + "]";
    }
}
