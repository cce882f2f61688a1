package io.dagctl.ops;

import java.util.regex.Pattern;

/**
 * The grammar of identifiers that users type (run ids, pool names), checked where they enter, before anything is
 * written. Run ids follow Airflow's: letters, digits and {@code _ - . : + ~}. Their length is bounded so that the log
 * directory {@code run_id=<id>} stays within the 255-byte file name limit of common file systems.
 */
public final class Ids {
    public static final int MAX_RUN_ID_LENGTH = 200;
    public static final int MAX_POOL_NAME_LENGTH = 250;
    public static final String RUN_ID_RULE = "a run id is 1 to " + MAX_RUN_ID_LENGTH
            + " letters, digits and _ - . : + ~ (not only dots)";
    public static final String POOL_NAME_RULE = "a pool name is 1 to " + MAX_POOL_NAME_LENGTH
            + " letters, digits and _ - .";
    /** How much of a refused id a message repeats. */
    private static final int SHOWN_LENGTH = 60;

    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9_.:+~-]{1," + MAX_RUN_ID_LENGTH + "}");
    private static final Pattern POOL_NAME = Pattern.compile("[A-Za-z0-9_.-]{1," + MAX_POOL_NAME_LENGTH + "}");
    private static final Pattern ONLY_DOTS = Pattern.compile("\\.+");

    private Ids() {
    }

    /**
     * @return {@code runId}
     * @throws IllegalArgumentException with the rule, when the id breaks it
     */
    public static String requireRunId(String runId) {
        if (!isRunId(runId)) {
            throw new IllegalArgumentException("run id " + shown(runId) + " is not valid: " + RUN_ID_RULE);
        }
        return runId;
    }

    public static boolean isRunId(String runId) {
        return runId != null && RUN_ID.matcher(runId).matches() && !ONLY_DOTS.matcher(runId).matches();
    }

    /**
     * @return {@code name}
     * @throws IllegalArgumentException with the rule, when the name breaks it
     */
    public static String requirePoolName(String name) {
        if (!isPoolName(name)) {
            throw new IllegalArgumentException("pool name " + shown(name) + " is not valid: " + POOL_NAME_RULE);
        }
        return name;
    }

    public static boolean isPoolName(String name) {
        return name != null && POOL_NAME.matcher(name).matches();
    }

    /**
     * A refused id as a message shows it: quoted, control characters escaped, and cut short when long (a
     * 5,000-character id would bury the rule).
     */
    public static String shown(String id) {
        if (id == null) {
            return "(none)";
        }
        StringBuilder shown = new StringBuilder("'");
        id.codePoints().limit(SHOWN_LENGTH).forEach(c -> {
            if (Character.isISOControl(c) || c == 0x7f) {
                shown.append(String.format("\\u%04x", c));
            } else {
                shown.appendCodePoint(c);
            }
        });
        shown.append('\'');
        int length = id.codePointCount(0, id.length());
        if (length > SHOWN_LENGTH) {
            shown.append("... (").append(length).append(" characters)");
        }
        return shown.toString();
    }
}
