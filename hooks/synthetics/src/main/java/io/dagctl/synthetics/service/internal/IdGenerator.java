package io.dagctl.synthetics.service.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * New ids shaped like the training ids (a digit where one had a digit, a lower-case letter where one had a
 * lower-case letter...), never equal to a training id nor to each other.
 */
final class IdGenerator {
    private static final String DIGITS = "0123456789";
    private static final String LOWER = "abcdefghijklmnopqrstuvwxyz";
    private static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final int ATTEMPTS_PER_ID = 50;

    private final List<String> templates;
    private final Set<String> taken;

    IdGenerator(List<String> trainingIds) {
        this.templates = List.copyOf(trainingIds);
        this.taken = new HashSet<>(trainingIds);
    }

    String next(SplittableRandom random) {
        for (int attempt = 0; attempt < ATTEMPTS_PER_ID; attempt++) {
            String id = reshape(templates.get(random.nextInt(templates.size())), random);
            if (taken.add(id)) {
                return id;
            }
        }
        // The templates' shape leaves few free ids: lengthen one until it is new.
        String id = reshape(templates.get(random.nextInt(templates.size())), random);
        while (!taken.add(id)) {
            id = id + DIGITS.charAt(random.nextInt(DIGITS.length()));
        }
        return id;
    }

    private static String reshape(String template, SplittableRandom random) {
        StringBuilder id = new StringBuilder(template.length());
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c >= '0' && c <= '9') {
                id.append(DIGITS.charAt(random.nextInt(DIGITS.length())));
            } else if (c >= 'a' && c <= 'z') {
                id.append(LOWER.charAt(random.nextInt(LOWER.length())));
            } else if (c >= 'A' && c <= 'Z') {
                id.append(UPPER.charAt(random.nextInt(UPPER.length())));
            } else {
                id.append(c);
            }
        }
        return id.toString();
    }
}
