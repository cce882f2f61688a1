package io.dagctl.synthetics.service.internal;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * Rows shaped like the booking pipeline's per-user session rollups (Airbnb new-user bookings): an id, skewed
 * categories, an age that is often missing and sometimes absurd (a birth year typed as the age), heavy-tailed
 * action counts and session times that depend on each other and on how the user signed up.
 */
public final class BookingFeatures {
    public static final List<String> COLUMNS = List.of("user_id", "gender", "age", "language", "signup_method",
            "date_account_created", "number_of_actions_taken", "number_of_unique_actions",
            "avg_session_time_seconds", "min_session_time_seconds", "max_session_time_seconds");

    private static final String[] LANGUAGES = {"en", "zh", "fr", "es", "ko", "de", "it", "ru", "ja", "pt", "sv", "nl"};
    private static final double[] LANGUAGE_WEIGHTS = {0.88, 0.03, 0.02, 0.015, 0.012, 0.01, 0.008, 0.006, 0.005,
        0.005, 0.004, 0.005};
    private static final String ID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final LocalDate FIRST_SIGNUP = LocalDate.of(2010, 1, 1);
    private static final int SIGNUP_DAYS = 1641;

    private BookingFeatures() {
    }

    public static Table generate(int rows, long seed) {
        Random random = new Random(seed);
        Set<String> ids = new HashSet<>();
        List<String[]> out = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            String id;
            do {
                StringBuilder s = new StringBuilder();
                for (int i = 0; i < 10; i++) {
                    s.append(ID_CHARS.charAt(random.nextInt(ID_CHARS.length())));
                }
                id = s.toString();
            } while (!ids.add(id));

            double engagement = random.nextGaussian();
            String signup = pick(random, new String[] {"basic", "facebook", "google"},
                    engagement > 0.8 ? new double[] {0.55, 0.40, 0.05} : new double[] {0.75, 0.23, 0.02});
            String gender = random.nextDouble() < 0.35 - 0.1 * Math.tanh(engagement) ? "-unknown-"
                    : pick(random, new String[] {"FEMALE", "MALE", "OTHER"}, new double[] {0.52, 0.46, 0.02});
            String age;
            if (gender.equals("-unknown-") ? random.nextDouble() < 0.7 : random.nextDouble() < 0.15) {
                age = null;
            } else if (random.nextDouble() < 0.01) {
                age = Integer.toString(random.nextBoolean() ? 1900 + random.nextInt(115) : 100 + random.nextInt(50));
            } else {
                double base = signup.equals("facebook") ? 30 : 37;
                age = Long.toString(Math.max(18, Math.round(base + 9 * random.nextGaussian()
                        + 3 * Math.abs(random.nextGaussian()))));
            }
            String language = pick(random, LANGUAGES, LANGUAGE_WEIGHTS);
            // More recent sign-ups are more frequent: the square root of a uniform skews towards the end.
            LocalDate created = FIRST_SIGNUP.plusDays((long) (SIGNUP_DAYS * Math.sqrt(random.nextDouble())));
            long actions = Math.max(1, Math.round(Math.exp(3.2 + 0.6 * engagement + 0.7 * random.nextGaussian())));
            long unique = Math.max(1, Math.min(actions,
                    Math.round(Math.pow(actions, 0.55) * (1.2 + 0.2 * random.nextGaussian()))));
            double avg = Math.exp(7.5 + 0.5 * engagement + 0.9 * random.nextGaussian());
            double min = actions == 1 ? avg : avg * (0.02 + 0.3 * random.nextDouble());
            double max = actions == 1 ? avg : avg * (1.5 + Math.exp(0.8 + 0.6 * random.nextGaussian()));
            out.add(new String[] {id, gender, age, language, signup, created.toString(), Long.toString(actions),
                Long.toString(unique), seconds(avg), seconds(min), seconds(max)});
        }
        return new Table(COLUMNS, out);
    }

    private static String seconds(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    private static String pick(Random random, String[] values, double[] weights) {
        double u = random.nextDouble();
        double cumulative = 0;
        for (int i = 0; i < values.length; i++) {
            cumulative += weights[i];
            if (u < cumulative) {
                return values[i];
            }
        }
        return values[values.length - 1];
    }
}
