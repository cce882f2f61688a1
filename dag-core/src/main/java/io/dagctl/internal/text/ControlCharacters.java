package io.dagctl.internal.text;

/**
 * Text from input (a CSV header, a server's answer, a file name) may hold terminal escape sequences that clear a
 * screen or retitle a window when printed. Every CLI line and log line passes through {@link #escape}.
 */
public final class ControlCharacters {
    private ControlCharacters() {
    }

    /**
     * The text with each control character but line feed and tab written as {@code \xHH} (C0, DEL and the C1
     * range, where ESC and CSI start escape sequences), so it shows instead of acting.
     */
    public static String escape(String text) {
        if (text == null || text.chars().noneMatch(ControlCharacters::escaped)) {
            return text;
        }
        StringBuilder s = new StringBuilder(text.length() + 16);
        text.chars().forEach(c -> {
            if (escaped(c)) {
                s.append(String.format("\\x%02x", c));
            } else {
                s.append((char) c);
            }
        });
        return s.toString();
    }

    private static boolean escaped(int c) {
        return c != '\n' && c != '\t' && Character.getType(c) == Character.CONTROL;
    }
}
