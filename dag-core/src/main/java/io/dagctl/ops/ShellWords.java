package io.dagctl.ops;

import java.util.regex.Pattern;

/**
 * Words of a command line that dagctl prints for the user to run (in its messages too, whichever face shows them):
 * each survives a POSIX shell as typed.
 */
public final class ShellWords {
    /** Characters no POSIX shell (nor zsh) gives a meaning to anywhere in a word; {@code ~} only at its start. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_.:+,=/@%-][A-Za-z0-9_.:+,=/@%~-]*");

    private ShellWords() {
    }

    /** {@code word} unchanged when plain, otherwise in single quotes ({@code it's} → {@code 'it'\''s'}). */
    public static String quote(String word) {
        if (PLAIN.matcher(word).matches()) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
