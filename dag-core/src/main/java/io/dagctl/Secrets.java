package io.dagctl;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The secrets of this process (connection passwords, tokens, webhook URLs), masked in every log line, CLI output
 * and error message that passes through {@link #mask}. Global on purpose: a secret must be masked whichever
 * component happens to print it, as Airflow's secrets masker does.
 */
public final class Secrets {
    /** What a secret is replaced with. */
    public static final String MASK = "***";

    /**
     * Secrets shorter than this are not masked inside text: masking every "x" or "db" would garble all output and
     * protect nothing. They are masked where they are a whole value ({@link #maskValue}, a JSON string).
     */
    public static final int MIN_MASKED_LENGTH = 4;

    private static final List<String> SECRETS = new CopyOnWriteArrayList<>();
    /** Secrets too short to be masked inside text, as they are and JSON-escaped. */
    private static final Set<String> SHORT_SECRETS = ConcurrentHashMap.newKeySet();

    private Secrets() {
    }

    /**
     * Registers a secret and the forms it takes when written down — URL-encoded, JSON-escaped, base64 — so that
     * none is ever printed. One shorter than {@link #MIN_MASKED_LENGTH} is masked only as a whole value.
     */
    public static void register(String secret) {
        if (secret == null || secret.isEmpty()) {
            return;
        }
        if (!canBeMaskedInText(secret)) {
            SHORT_SECRETS.add(secret);
            SHORT_SECRETS.add(jsonEscaped(secret));
            return;
        }
        encodings(secret).forEach(Secrets::addIfAbsent);
    }

    /** Whether a secret is long enough to be masked wherever it appears in text. */
    public static boolean canBeMaskedInText(String secret) {
        return secret.length() >= MIN_MASKED_LENGTH;
    }

    /** The secret as it is, and as a URL, a JSON string and base64 (standard and URL-safe, padded or not) hold it. */
    static Set<String> encodings(String secret) {
        Set<String> forms = new LinkedHashSet<>();
        forms.add(secret);
        forms.add(URLEncoder.encode(secret, StandardCharsets.UTF_8));
        forms.add(URLEncoder.encode(secret, StandardCharsets.UTF_8).replace("+", "%20"));
        forms.add(jsonEscaped(secret));
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        forms.add(Base64.getEncoder().encodeToString(bytes));
        forms.add(Base64.getEncoder().withoutPadding().encodeToString(bytes));
        forms.add(Base64.getUrlEncoder().encodeToString(bytes));
        forms.add(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
        return forms;
    }

    /** As Jackson writes a string inside quotes: {@code "} and {@code \} escaped, control characters as escapes. */
    private static String jsonEscaped(String text) {
        StringBuilder s = new StringBuilder(text.length() + 8);
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                case '\b' -> s.append("\\b");
                case '\f' -> s.append("\\f");
                default -> {
                    if (c < 0x20) {
                        s.append(String.format("\\u%04X", (int) c));
                    } else {
                        s.append(c);
                    }
                }
            }
        }
        return s.toString();
    }

    private static synchronized void addIfAbsent(String secret) {
        if (!SECRETS.contains(secret)) {
            SECRETS.add(secret);
            // Longest first, so a secret that contains another is masked whole.
            SECRETS.sort(Comparator.comparingInt(String::length).reversed());
        }
    }

    /**
     * The text with every registered secret, in any of its encodings, replaced by {@link #MASK}; a short secret
     * only where it is a whole JSON string ({@code "x"}).
     */
    public static String mask(String text) {
        if (text == null) {
            return null;
        }
        String masked = text;
        for (String secret : SECRETS) {
            if (masked.contains(secret)) {
                masked = masked.replace(secret, MASK);
            }
        }
        for (String secret : SHORT_SECRETS) {
            String quoted = '"' + secret + '"';
            if (masked.contains(quoted)) {
                masked = masked.replace(quoted, '"' + MASK + '"');
            }
        }
        return masked;
    }

    /** A value shown on its own (a param, a table cell): {@link #MASK} when it is a secret of any length. */
    public static String maskValue(String value) {
        return value != null && SHORT_SECRETS.contains(value) ? MASK : mask(value);
    }
}
