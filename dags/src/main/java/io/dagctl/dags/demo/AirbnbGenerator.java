package io.dagctl.dags.demo;

import java.io.IOException;
import java.io.Writer;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Generates users and their sessions with the columns of Kaggle's "Airbnb New User Bookings" data and roughly its
 * distributions: most users unknown gender, ages missing or absurd (105, 2014), mostly English, heavy-tailed
 * activity and session times. The same seed gives the same bytes: {@link SplittableRandom}'s sequence is specified,
 * and every distribution is computed here rather than by library code that may change.
 *
 * <p>As in the original, only accounts created from 2014 on have sessions; one user in eleven is an older account
 * without any.
 */
final class AirbnbGenerator {
    static final String USERS_HEADER = "id,date_account_created,timestamp_first_active,date_first_booking,gender,age,"
            + "signup_method,signup_flow,language,affiliate_channel,affiliate_provider,first_affiliate_tracked,"
            + "signup_app,first_device_type,first_browser";
    static final String SESSIONS_HEADER = "user_id,action,action_type,action_detail,device_type,secs_elapsed";

    private static final LocalDate SESSIONS_START = LocalDate.of(2014, 1, 1);
    private static final LocalDate SESSIONS_END = LocalDate.of(2014, 6, 30);
    private static final LocalDate HISTORY_START = LocalDate.of(2010, 1, 1);
    private static final DateTimeFormatter FIRST_ACTIVE = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final long MAX_SECS_ELAPSED = 1_799_977;

    private static final Weighted<String> GENDER = Weighted.of(
            "-unknown-", 448, "FEMALE", 295, "MALE", 255, "OTHER", 2);
    private static final Weighted<String> SIGNUP_METHOD = Weighted.of("basic", 716, "facebook", 280, "google", 4);
    private static final Weighted<Integer> SIGNUP_FLOW = Weighted.of(
            0, 770, 25, 70, 12, 45, 3, 40, 2, 18, 24, 20, 23, 15, 1, 10, 6, 5, 8, 4, 21, 3);
    private static final Weighted<String> LANGUAGE = Weighted.of(
            "en", 966, "zh", 8, "fr", 6, "es", 4, "ko", 4, "de", 3, "it", 2, "ru", 2, "ja", 1, "pt", 1, "sv", 1,
            "nl", 1);
    private static final Weighted<String> CHANNEL = Weighted.of(
            "direct", 645, "sem-brand", 122, "sem-non-brand", 88, "other", 44, "seo", 41, "api", 38, "content", 17,
            "remarketing", 5);
    private static final Weighted<String> SEM_PROVIDER = Weighted.of("google", 85, "bing", 10, "yahoo", 3, "vast", 2);
    private static final Weighted<String> SEO_PROVIDER = Weighted.of("google", 80, "facebook", 15, "bing", 5);
    private static final Weighted<String> OTHER_PROVIDER = Weighted.of(
            "other", 55, "craigslist", 30, "padmapper", 10, "email-marketing", 5);
    private static final Weighted<String> CONTENT_PROVIDER = Weighted.of("google", 60, "facebook-open-graph", 40);
    private static final Weighted<String> TRACKED = Weighted.of(
            "untracked", 513, "linked", 217, "omg", 206, "tracked-other", 29, "", 29, "product", 7, "marketing", 1,
            "local ops", 1);
    private static final Weighted<String> SIGNUP_APP = Weighted.of("Web", 856, "iOS", 89, "Moweb", 29, "Android", 26);
    private static final Weighted<String> WEB_DEVICE = Weighted.of(
            "Mac Desktop", 460, "Windows Desktop", 370, "iPad", 60, "iPhone", 40, "Other/Unknown", 45,
            "Desktop (Other)", 7, "Android Tablet", 6, "Android Phone", 8, "SmartPhone (Other)", 1);
    private static final Weighted<String> IOS_DEVICE = Weighted.of("iPhone", 80, "iPad", 20);
    private static final Weighted<String> ANDROID_DEVICE = Weighted.of("Android Phone", 85, "Android Tablet", 15);
    private static final Weighted<String> MOWEB_DEVICE = Weighted.of(
            "iPhone", 55, "Android Phone", 25, "Other/Unknown", 15, "SmartPhone (Other)", 5);
    private static final Weighted<String> MAC_BROWSER = Weighted.of(
            "Safari", 45, "Chrome", 38, "Firefox", 14, "-unknown-", 3);
    private static final Weighted<String> WINDOWS_BROWSER = Weighted.of(
            "Chrome", 44, "Firefox", 26, "IE", 25, "-unknown-", 3, "Opera", 2);
    private static final Weighted<String> APPLE_MOBILE_BROWSER = Weighted.of(
            "Mobile Safari", 80, "-unknown-", 12, "Chrome Mobile", 8);
    private static final Weighted<String> ANDROID_BROWSER = Weighted.of(
            "Chrome Mobile", 55, "Android Browser", 35, "-unknown-", 10);
    private static final Weighted<String> OTHER_BROWSER = Weighted.of(
            "-unknown-", 50, "Chrome", 25, "Firefox", 15, "Silk", 5, "Opera", 5);
    private static final Weighted<String> OTHER_SESSION_DEVICE = Weighted.of(
            "Mac Desktop", 35, "Windows Desktop", 30, "iPhone", 20, "Android Phone", 10, "-unknown-", 5);

    /** (action, action_type, action_detail) as Kaggle's sessions.csv has them; "" is a missing value. */
    private static final Weighted<List<String>> ACTION = Weighted.of(
            List.of("show", "view", "p3"), 200,
            List.of("index", "view", "view_search_results"), 80,
            List.of("search_results", "click", "view_search_results"), 120,
            List.of("personalize", "data", "wishlist_content_update"), 80,
            List.of("search", "click", "view_search_results"), 60,
            List.of("ajax_refresh_subtotal", "click", "change_trip_characteristics"), 55,
            List.of("update", "submit", "update_listing"), 25,
            List.of("similar_listings", "data", "similar_listings"), 50,
            List.of("social_connections", "data", "user_social_connections"), 30,
            List.of("reviews", "data", "listing_reviews"), 25,
            List.of("active", "-unknown-", "-unknown-"), 30,
            List.of("lookup", "", ""), 25,
            List.of("dashboard", "view", "dashboard"), 20,
            List.of("header_userpic", "data", "header_userpic"), 15,
            List.of("collections", "view", "user_wishlists"), 12,
            List.of("edit", "view", "edit_profile"), 12,
            List.of("create", "submit", "signup"), 10,
            List.of("confirm_email", "click", "confirm_email_link"), 5,
            List.of("ask_question", "submit", "contact_host"), 5,
            List.of("message_post", "message_post", ""), 8,
            List.of("requested", "view", "p5"), 4,
            List.of("book", "booking_request", "instant_book"), 3,
            List.of("campaigns", "", ""), 3,
            List.of("verify", "-unknown-", "-unknown-"), 2);

    private final SplittableRandom random;

    AirbnbGenerator(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** Counts of what {@link #write} produced. */
    record Counts(long users, long usersWithSessions, long sessions) {
    }

    /**
     * Writes {@code usersWithSessions} users who have sessions, one user in eleven more without any, and the sessions,
     * as CSV with header lines.
     */
    Counts write(int usersWithSessions, Writer users, Writer sessions) throws IOException {
        int total = usersWithSessions + usersWithSessions / 10;
        users.write(USERS_HEADER + "\n");
        sessions.write(SESSIONS_HEADER + "\n");
        Set<String> ids = new HashSet<>();
        int sessionUsersLeft = usersWithSessions;
        long sessionRows = 0;
        for (int left = total; left > 0; left--) {
            // Selection sampling: exactly usersWithSessions of the total get sessions, spread through the file.
            boolean hasSessions = random.nextInt(left) < sessionUsersLeft;
            if (hasSessions) {
                sessionUsersLeft--;
            }
            String id = newId(ids);
            String device = writeUser(users, id, hasSessions);
            if (hasSessions) {
                sessionRows += writeSessions(sessions, id, device);
            }
        }
        return new Counts(total, usersWithSessions, sessionRows);
    }

    /** Writes one user; returns the first device type. */
    private String writeUser(Writer out, String id, boolean hasSessions) throws IOException {
        LocalDate created = hasSessions ? growingDate(SESSIONS_START, SESSIONS_END)
                : growingDate(HISTORY_START, SESSIONS_START.minusDays(1));
        LocalDate firstActiveDay = random.nextInt(100) < 95 ? created : created.minusDays(1 + random.nextInt(30));
        LocalDateTime firstActive = firstActiveDay.atTime(random.nextInt(24), random.nextInt(60), random.nextInt(60));
        String booking = "";
        if (random.nextInt(1000) < 417) {
            long daysLater = random.nextInt(100) < 40 ? 0 : Math.round(exponential(30));
            LocalDateTime booked = created.plusDays(daysLater)
                    .atTime(random.nextInt(24), random.nextInt(60), random.nextInt(60));
            booking = TIMESTAMP.format(booked.isBefore(firstActive) ? firstActive : booked);
        }
        String channel = CHANNEL.pick(random);
        String app = SIGNUP_APP.pick(random);
        String device = switch (app) {
            case "iOS" -> IOS_DEVICE.pick(random);
            case "Android" -> ANDROID_DEVICE.pick(random);
            case "Moweb" -> MOWEB_DEVICE.pick(random);
            default -> WEB_DEVICE.pick(random);
        };
        row(out, id, created.toString(), FIRST_ACTIVE.format(firstActive), booking, GENDER.pick(random), age(),
                SIGNUP_METHOD.pick(random), Integer.toString(SIGNUP_FLOW.pick(random)), LANGUAGE.pick(random),
                channel, provider(channel), TRACKED.pick(random), app, device, browser(app, device));
        return device;
    }

    private long writeSessions(Writer out, String userId, String firstDevice) throws IOException {
        long actions = Math.min(1500, Math.max(1, Math.round(Math.exp(Math.log(25) + gaussian()))));
        String usual = sessionDevice(firstDevice);
        for (long i = 0; i < actions; i++) {
            List<String> action = ACTION.pick(random);
            String device = random.nextInt(100) < 92 ? usual : OTHER_SESSION_DEVICE.pick(random);
            row(out, userId, action.get(0), action.get(1), action.get(2), device, secsElapsed());
        }
        return actions;
    }

    /** Missing for 1.5% of actions; otherwise log-normal around a quarter hour, capped as in the original. */
    private String secsElapsed() {
        if (random.nextInt(1000) < 15) {
            return "";
        }
        long secs = Math.round(Math.exp(Math.log(900) + 2.0 * gaussian()));
        return Long.toString(Math.min(MAX_SECS_ELAPSED, secs));
    }

    /** Missing for 42% of users; otherwise mostly 18-70, with the original's typos (a year, 105, a child). */
    private String age() {
        int draw = random.nextInt(1000);
        if (draw < 420) {
            return "";
        }
        if (draw < 426) {
            return "105";
        }
        if (draw < 429) {
            return "2014";
        }
        if (draw < 430) {
            return Integer.toString(1 + random.nextInt(15));
        }
        long age = Math.round(36 + 11 * gaussian());
        return Long.toString(Math.max(18, Math.min(95, age)));
    }

    private String provider(String channel) {
        return switch (channel) {
            case "direct" -> "direct";
            case "sem-brand", "sem-non-brand" -> SEM_PROVIDER.pick(random);
            case "seo" -> SEO_PROVIDER.pick(random);
            case "content" -> CONTENT_PROVIDER.pick(random);
            case "remarketing" -> "google";
            case "api" -> "other";
            default -> OTHER_PROVIDER.pick(random);
        };
    }

    private String browser(String app, String device) {
        if (app.equals("iOS") || app.equals("Android")) {
            return "-unknown-";
        }
        return switch (device) {
            case "Mac Desktop" -> MAC_BROWSER.pick(random);
            case "Windows Desktop" -> WINDOWS_BROWSER.pick(random);
            case "iPhone", "iPad" -> APPLE_MOBILE_BROWSER.pick(random);
            case "Android Phone", "Android Tablet" -> ANDROID_BROWSER.pick(random);
            default -> OTHER_BROWSER.pick(random);
        };
    }

    private static String sessionDevice(String firstDevice) {
        return switch (firstDevice) {
            case "Mac Desktop", "Windows Desktop", "iPhone", "Android Phone" -> firstDevice;
            case "iPad" -> "iPad Tablet";
            case "Android Tablet" -> "Android App Unknown Phone/Tablet";
            default -> "-unknown-";
        };
    }

    /** A day in [from, to], more of them late: sign-ups grew year on year. */
    private LocalDate growingDate(LocalDate from, LocalDate to) {
        long days = to.toEpochDay() - from.toEpochDay();
        return from.plusDays(Math.round(days * Math.sqrt(random.nextDouble())));
    }

    private String newId(Set<String> taken) {
        while (true) {
            StringBuilder id = new StringBuilder(10);
            for (int i = 0; i < 10; i++) {
                id.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
            }
            if (taken.add(id.toString())) {
                return id.toString();
            }
        }
    }

    /** Standard normal by Box-Muller, from this generator alone. */
    private double gaussian() {
        double u = 1.0 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    private double exponential(double mean) {
        return -mean * Math.log(1.0 - random.nextDouble());
    }

    /** No generated value holds a comma, quote or line break, so fields need no quoting. */
    private static void row(Writer out, String... fields) throws IOException {
        out.write(String.join(",", fields));
        out.write('\n');
    }
}
