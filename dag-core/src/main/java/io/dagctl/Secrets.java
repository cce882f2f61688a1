package io.dagctl;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The secrets of this process (connection passwords, tokens, webhook URLs), masked in every log line, CLI output
 * and error message that passes through {@link #mask}. Global on purpose: a secret must be masked whichever
 * component happens to print it, as Airflow's secrets masker does.
 */
public final class Secrets {
    /** What a secret is replaced with. */
    public static final String MASK = "***";

    /** Shorter values (a port, "db") would mask innocent text and protect nothing. */
    private static final int MIN_LENGTH = 4;

    private static final List<String> SECRETS = new CopyOnWriteArrayList<>();

    private Secrets() {
    }

    /** Registers a secret, and its URL-encoded form, so that neither is ever printed. */
    public static void register(String secret) {
        if (secret == null || secret.length() < MIN_LENGTH) {
            return;
        }
        addIfAbsent(secret);
        addIfAbsent(URLEncoder.encode(secret, StandardCharsets.UTF_8));
    }

    private static synchronized void addIfAbsent(String secret) {
        if (!SECRETS.contains(secret)) {
            SECRETS.add(secret);
            // Longest first, so a secret that contains another is masked whole.
            SECRETS.sort(Comparator.comparingInt(String::length).reversed());
        }
    }

    /** The text with every registered secret replaced by {@link #MASK}. */
    public static String mask(String text) {
        if (text == null || SECRETS.isEmpty()) {
            return text;
        }
        String masked = text;
        for (String secret : SECRETS) {
            if (masked.contains(secret)) {
                masked = masked.replace(secret, MASK);
            }
        }
        return masked;
    }
}
