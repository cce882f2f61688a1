package io.dagctl.synthetics;

import java.util.Locale;

/** Where a model is in its life: created → pending → active → completed, or it ended in error, cancelled or lost. */
public enum ModelStatus {
    CREATED, PENDING, ACTIVE, COMPLETED, ERROR, CANCELLED, LOST;

    /** Whether the model will change no more. */
    public boolean isTerminal() {
        return this == COMPLETED || this == ERROR || this == CANCELLED || this == LOST;
    }

    /** The status as the service writes it ({@code "completed"}). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @throws SyntheticsException for a status this client does not know
     */
    public static ModelStatus fromWire(String status) {
        try {
            return valueOf(status.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new SyntheticsException("the service reported an unknown model status '" + status + "'");
        }
    }
}
