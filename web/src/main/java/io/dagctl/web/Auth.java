package io.dagctl.web;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * Who a request comes from, with nothing kept on the server: a session is a cookie signed with the secret key
 * (user, expiry, nonce), and its CSRF token is derived from it, so any webserver with the same key accepts both.
 * Only the count of failed logins per address is local, to slow down guessing.
 */
final class Auth {
    static final String SESSION_COOKIE = "dagctl_session";
    static final Duration SESSION_LENGTH = Duration.ofHours(12);
    /** Failed logins an address may make per {@link #FAILURE_WINDOW} before it has to wait. */
    static final int MAX_FAILURES = 5;
    static final Duration FAILURE_WINDOW = Duration.ofMinutes(1);
    private static final String ANONYMOUS = "";
    private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODE = Base64.getUrlDecoder();

    private final WebSettings settings;
    private final byte[] key;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    Auth(WebSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.key = settings.secretKey().map(k -> k.getBytes(StandardCharsets.UTF_8)).orElseGet(() -> {
            byte[] generated = new byte[32];
            random.nextBytes(generated);
            return generated;
        });
    }

    /** A session cookie's fields, once its signature and expiry were checked; user is empty for a visitor. */
    record Session(String user, String cookie) {
        boolean loggedIn() {
            return !user.equals(ANONYMOUS);
        }
    }

    /** The session the request's cookie carries, if it is valid. */
    Optional<Session> session(Request request) {
        return request.cookie(SESSION_COOKIE).flatMap(this::verify);
    }

    /** A new session for the user (empty for a visitor who has not logged in), to set as the cookie. */
    Session open(String user) {
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        String payload = BASE64.encodeToString(user.getBytes(StandardCharsets.UTF_8)) + "."
                + clock.instant().plus(SESSION_LENGTH).getEpochSecond() + "." + BASE64.encodeToString(nonce);
        return new Session(user, payload + "." + sign(payload));
    }

    Session visitor() {
        return open(ANONYMOUS);
    }

    static String cookieHeader(Session session, Duration maxAge) {
        return SESSION_COOKIE + "=" + session.cookie() + "; Path=/; HttpOnly; SameSite=Strict; Max-Age="
                + maxAge.toSeconds();
    }

    private Optional<Session> verify(String cookie) {
        String[] parts = cookie.split("\\.");
        if (parts.length != 4) {
            return Optional.empty();
        }
        String payload = parts[0] + "." + parts[1] + "." + parts[2];
        if (!MessageDigest.isEqual(sign(payload).getBytes(StandardCharsets.US_ASCII),
                parts[3].getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        try {
            if (Instant.ofEpochSecond(Long.parseLong(parts[1])).isBefore(clock.instant())) {
                return Optional.empty();
            }
            String user = new String(DECODE.decode(parts[0]), StandardCharsets.UTF_8);
            if (!user.equals(ANONYMOUS) && !settings.passwordHashes().containsKey(user)) {
                return Optional.empty();
            }
            return Optional.of(new Session(user, cookie));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The token a form of this session sends back with every state-changing request. */
    String csrfToken(Session session) {
        return sign("csrf." + session.cookie());
    }

    boolean validCsrf(Session session, String token) {
        return token != null && MessageDigest.isEqual(csrfToken(session).getBytes(StandardCharsets.US_ASCII),
                token.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Whether the user's password matches; refused without checking while the address has made too many failed
     * attempts.
     *
     * @throws TooManyAttempts while the address must wait
     */
    boolean login(String address, String user, String password) {
        Deque<Instant> recent = failures.computeIfAbsent(address, a -> new ArrayDeque<>());
        synchronized (recent) {
            Instant now = clock.instant();
            while (!recent.isEmpty() && recent.peekFirst().isBefore(now.minus(FAILURE_WINDOW))) {
                recent.pollFirst();
            }
            if (recent.size() >= MAX_FAILURES) {
                throw new TooManyAttempts(Duration.between(now, recent.peekFirst().plus(FAILURE_WINDOW)));
            }
            String hash = settings.passwordHashes().get(user);
            if (hash != null && password != null && BCrypt.checkpw(password, hash)) {
                recent.clear();
                return true;
            }
            recent.addLast(now);
            return false;
        }
    }

    /** Whether the bearer token is one of the configured API tokens. */
    boolean validToken(String token) {
        byte[] given = token.getBytes(StandardCharsets.UTF_8);
        boolean valid = false;
        for (String configured : settings.apiTokens()) {
            valid |= MessageDigest.isEqual(configured.getBytes(StandardCharsets.UTF_8), given);
        }
        return valid;
    }

    private String sign(String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return BASE64.encodeToString(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** Too many failed logins from one address. */
    static final class TooManyAttempts extends RuntimeException {
        TooManyAttempts(Duration wait) {
            super("too many failed logins from this address; try again in " + Math.max(1, wait.toSeconds())
                    + " seconds");
        }
    }
}
