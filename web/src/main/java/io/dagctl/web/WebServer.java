package io.dagctl.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.dagctl.Secrets;
import io.dagctl.ops.OperationException;
import io.dagctl.ops.Operations;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code dagctl webserver}: the pages and the REST API over {@link Operations}, on the JDK's HTTP server. It keeps
 * no state but failed-login counts, so several may serve one metadata database.
 */
public final class WebServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);
    /** No inline script or style, no plugin, no framing of the UI; reports are framed from this origin, sandboxed. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self';"
            + " frame-ancestors 'none'";
    private static final Map<String, String> STATIC = Map.of("app.js", "text/javascript; charset=utf-8",
            "app.css", "text/css; charset=utf-8");

    private final HttpServer server;
    private final ExecutorService executor;
    private final WebSettings settings;
    private final Auth auth;
    private final Api api;
    private final Pages pages;
    private final Operations operations;
    private final DatabaseReachability database = new DatabaseReachability();
    /** Guards {@link #openRequests} and {@link #stopping}. */
    private final Object requests = new Object();
    private int openRequests;
    private boolean stopping;

    private WebServer(HttpServer server, ExecutorService executor, WebSettings settings, Operations operations) {
        this.server = server;
        this.executor = executor;
        this.settings = settings;
        this.auth = new Auth(settings, Clock.systemUTC());
        this.api = new Api(operations);
        this.pages = new Pages(operations, auth);
        this.operations = operations;
    }

    static {
        // The JDK's server writes a response's headers and body apart; with Nagle's algorithm on, a small answer
        // then waits for the client's delayed acknowledgement, about 40 ms. It reads this once, before its first use.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /** Listens on the settings' host and port (0: any free port) and serves until {@link #stop}. */
    public static WebServer start(Operations operations, WebSettings settings) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 64);
            ExecutorService executor = Executors.newFixedThreadPool(16, r -> {
                Thread thread = new Thread(r, "dagctl-web");
                thread.setDaemon(true);
                return thread;
            });
            server.setExecutor(executor);
            WebServer web = new WebServer(server, executor, settings, operations);
            server.createContext("/", web::handle);
            server.start();
            return web;
        } catch (IOException e) {
            throw new UncheckedIOException("could not listen on " + settings.host() + ":" + settings.port() + ": "
                    + e.getMessage(), e);
        }
    }

    public URI url() {
        InetSocketAddress address = server.getAddress();
        String host = address.getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort() + "/");
    }

    /** How many requests are being answered now. */
    public int openRequests() {
        synchronized (requests) {
            return openRequests;
        }
    }

    /**
     * Answers new requests 503 and lets open ones finish for up to {@code grace}, then closes; a second stop does
     * nothing. (The JDK server's own stop waits the whole delay when no request is open, and cuts off the open ones
     * once it has passed.)
     */
    public void stop(Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        synchronized (requests) {
            if (stopping) {
                return;
            }
            stopping = true;
            try {
                for (long left = grace.toMillis(); openRequests > 0 && left > 0;
                        left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())) {
                    requests.wait(left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        server.stop(0);
        executor.shutdownNow();
    }

    @Override
    public void close() {
        stop(Duration.ZERO);
    }

    private void handle(HttpExchange exchange) {
        boolean refused;
        synchronized (requests) {
            refused = stopping;
            if (!refused) {
                openRequests++;
            }
        }
        if (refused) {
            refuse(exchange);
            return;
        }
        try {
            answer(exchange);
        } finally {
            synchronized (requests) {
                openRequests--;
                requests.notifyAll();
            }
        }
    }

    private static void refuse(HttpExchange exchange) {
        try (exchange) {
            exchange.getResponseHeaders().set("Connection", "close");
            exchange.sendResponseHeaders(503, -1);
        } catch (IOException e) {
            LOG.debug("could not refuse a request while stopping", e);
        }
    }

    private void answer(HttpExchange exchange) {
        try (exchange) {
            exchange.getResponseHeaders().set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            Request request = new Request(exchange);
            boolean isApi = request.segments().size() >= 2 && request.segments().get(0).equals("api")
                    && request.segments().get(1).equals("v1");
            try {
                route(request, isApi);
            } catch (OperationException e) {
                int status = switch (e.kind()) {
                    case NOT_FOUND -> 404;
                    case INVALID -> 400;
                    case CONFLICT -> 409;
                };
                fail(request, isApi, status, e.getMessage(), Map.of());
            } catch (Operations.InvalidParams e) {
                fail(request, isApi, 400, e.getMessage(), e.messages());
            } catch (Request.BadRequest | IllegalArgumentException e) {
                fail(request, isApi, 400, e.getMessage(), Map.of());
            } catch (Auth.TooManyAttempts e) {
                fail(request, isApi, 429, e.getMessage(), Map.of());
            } catch (RuntimeException e) {
                Optional<String> unreachable = Operations.databaseUnreachable(e);
                if (unreachable.isPresent()) {
                    database.lost(unreachable.get());
                    fail(request, isApi, 503, "the metadata database is unreachable (" + unreachable.get()
                            + "); this answers again as soon as it is back", Map.of());
                    return;
                }
                LOG.warn("{} {} failed", request.method(), Secrets.mask(exchange.getRequestURI().getRawPath()), e);
                fail(request, isApi, 500, e.getClass().getSimpleName() + ": " + e.getMessage(), Map.of());
            }
        } catch (RuntimeException e) {
            LOG.debug("could not answer a request", e);
        }
    }

    private void fail(Request request, boolean isApi, int status, String message, Map<String, String> fields) {
        if (isApi) {
            request.problem(status, title(status), message, fields);
        } else {
            request.html(status, pages.error(request, status, title(status), message));
        }
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 409 -> "Conflict";
            case 429 -> "Too Many Requests";
            case 503 -> "Service Unavailable";
            default -> "Internal Server Error";
        };
    }

    private void route(Request request, boolean isApi) {
        List<String> segments = request.segments();
        // Ids never hold a separator or a dot segment, however encoded: such a path names nothing.
        if (segments.stream().anyMatch(s -> s.equals(".") || s.equals("..") || s.indexOf('/') >= 0
                || s.indexOf('\\') >= 0 || s.indexOf('\0') >= 0)) {
            throw new OperationException(OperationException.Kind.NOT_FOUND, "not found");
        }
        if (segments.size() == 2 && segments.get(0).equals("static") && STATIC.containsKey(segments.get(1))) {
            request.header("Cache-Control", "max-age=300");
            request.send(200, STATIC.get(segments.get(1)), resource(segments.get(1)));
            return;
        }
        if (isApi && segments.size() == 3 && segments.get(2).equals("openapi.json")) {
            api.serve(request);
            return;
        }
        if (database.isLost()) {
            // A connection of its own answers at once whether the database is back; the pool would wait its timeout.
            operations.checkDatabase();
            database.reached();
        }
        Optional<Auth.Session> session = auth.session(request);
        boolean byCredentials = isApi && authenticatedByHeader(request);
        if (settings.authenticates() && !byCredentials) {
            if (session.filter(Auth.Session::loggedIn).isEmpty()) {
                if (isApi) {
                    request.header("WWW-Authenticate", "Bearer");
                    request.problem(401, "Unauthorized", "log in, or send an API token as Authorization: Bearer"
                            + " TOKEN or a user's password as basic authentication");
                } else if (segments.size() == 1 && segments.get(0).equals("login")) {
                    pages.login(request, session);
                } else {
                    request.redirect("/login");
                }
                return;
            }
        }
        if (!request.method().equals("GET") && !byCredentials && !isScriptWithoutAuth(request, isApi)) {
            String token = request.header("X-CSRF-Token").orElseGet(() -> isApi ? null
                    : request.form().get(Pages.CSRF_FIELD));
            if (session.isEmpty() || !auth.validCsrf(session.get(), token)) {
                fail(request, isApi, 403, "the request has no valid CSRF token: reload the page and try again",
                        Map.of());
                return;
            }
        }
        request.user(session.map(Auth.Session::user).orElse(""));
        boolean served = isApi ? api.serve(request) : pages.serve(request, session);
        if (!served) {
            throw new OperationException(OperationException.Kind.NOT_FOUND, "no " + request.method() + " "
                    + String.join("/", segments) + " here");
        }
    }

    /**
     * Without authentication, a local script may call the API without a session: another site cannot make a browser
     * send it a PATCH, a DELETE or a JSON POST without a CORS preflight, which this server never grants.
     */
    private boolean isScriptWithoutAuth(Request request, boolean isApi) {
        return isApi && !settings.authenticates() && (!request.method().equals("POST")
                || request.header("Content-Type").map(c -> c.startsWith("application/json")).orElse(false));
    }

    private boolean authenticatedByHeader(Request request) {
        Optional<String> header = request.header("Authorization");
        if (header.isEmpty()) {
            return false;
        }
        String value = header.get();
        if (value.startsWith("Bearer ") && auth.validToken(value.substring(7).trim())) {
            request.user("api-token");
            return true;
        }
        if (value.startsWith("Basic ")) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(value.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return false;
            }
            int colon = decoded.indexOf(':');
            return colon > 0 && auth.login(request.remoteAddress(), decoded.substring(0, colon),
                    decoded.substring(colon + 1));
        }
        return false;
    }

    private static byte[] resource(String name) {
        try (InputStream in = WebServer.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
