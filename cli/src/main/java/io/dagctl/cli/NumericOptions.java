package io.dagctl.cli;

import java.time.Duration;

/**
 * Bounds of numeric options, which picocli parses but does not check: a negative count is a usage error. An option
 * is named by all its names ({@code -n/--limit}), as {@link UsageErrors#name} names it, whichever the user typed.
 */
final class NumericOptions {
    private NumericOptions() {
    }

    static void requireAtLeastOne(String option, int value) {
        if (value < 1) {
            throw CliException.usage(option + " must be 1 or more, not " + value);
        }
    }

    static void requirePositive(String option, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw CliException.usage(option + " must be a positive ISO-8601 duration such as PT5S, not " + value);
        }
    }
}
