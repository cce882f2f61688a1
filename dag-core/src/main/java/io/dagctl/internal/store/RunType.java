package io.dagctl.internal.store;

import java.util.Locale;

/** Why a run exists: a user asked for it, or the schedule did. */
public enum RunType {
    MANUAL,
    SCHEDULED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RunType ofLabel(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
