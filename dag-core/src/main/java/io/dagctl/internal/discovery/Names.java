package io.dagctl.internal.discovery;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Task ids from method names, and the closest known name for a misspelt one. */
public final class Names {
    private static final Pattern LOWER_SNAKE_CASE = Pattern.compile("[a-z][a-z0-9]*(_[a-z0-9]+)*");

    private Names() {
    }

    /** {@code extractFeatures} → {@code extract_features}, {@code loadS3Key} → {@code load_s3_key}. */
    public static String snakeCase(String camelCase) {
        StringBuilder out = new StringBuilder(camelCase.length() + 8);
        for (int i = 0; i < camelCase.length(); i++) {
            char c = camelCase.charAt(i);
            if (Character.isUpperCase(c) && i > 0) {
                char previous = camelCase.charAt(i - 1);
                boolean nextIsLower = i + 1 < camelCase.length() && Character.isLowerCase(camelCase.charAt(i + 1));
                // "parseHTTPResponse" → parse_http_response: an acronym ends where a lower-case word starts
                if (!Character.isUpperCase(previous) && previous != '_' || Character.isUpperCase(previous) && nextIsLower) {
                    out.append('_');
                }
            }
            out.append(Character.toLowerCase(c));
        }
        return out.toString();
    }

    /**
     * A valid id made of any text, to suggest in place of an invalid one: {@code "Load Orders"} →
     * {@code load_orders}; {@code "2nd-pass"} → {@code task_2nd_pass} when {@code kind} is {@code "task"}, as an id
     * starts with a letter.
     */
    public static String suggestedId(String kind, String text) {
        String words = snakeCase(text.strip().replaceAll("[^A-Za-z0-9]+", "_"))
                .replaceAll("_+", "_").replaceAll("^_|_$", "");
        if (words.isEmpty()) {
            return kind;
        }
        return Character.isLetter(words.charAt(0)) ? words : kind + "_" + words;
    }

    public static boolean isLowerSnakeCase(String name) {
        return LOWER_SNAKE_CASE.matcher(name).matches();
    }

    /** The candidate nearest to {@code name} by edit distance (case ignored), if near enough to be a likely typo. */
    public static Optional<String> closest(String name, Collection<String> candidates) {
        String wanted = name.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = editDistance(wanted, candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best != null && bestDistance <= Math.max(2, wanted.length() / 3) ? Optional.of(best) : Optional.empty();
    }

    /** {@code 'a'}, {@code 'a' and 'b'}, {@code 'a', 'b' and 'c'}. */
    public static String quotedList(List<String> names) {
        List<String> quoted = names.stream().map(n -> "'" + n + "'").collect(Collectors.toList());
        if (quoted.size() <= 1) {
            return String.join("", quoted);
        }
        return String.join(", ", quoted.subList(0, quoted.size() - 1)) + " and " + quoted.get(quoted.size() - 1);
    }

    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
