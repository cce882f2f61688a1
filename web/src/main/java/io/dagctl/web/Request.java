package io.dagctl.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpExchange;
import io.dagctl.Secrets;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One HTTP exchange as the handlers see it: decoded path segments, query and form fields, and the replies. */
final class Request {
    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .registerModule(new Jdk8Module()).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    /** A body larger than this is refused: forms and JSON requests are small. */
    private static final int MAX_BODY = 1 << 20;

    private final HttpExchange exchange;
    private final List<String> segments;
    private final Map<String, String> query;
    private byte[] body;
    private Optional<String> user = Optional.empty();

    Request(HttpExchange exchange) {
        this.exchange = exchange;
        String rawPath = exchange.getRequestURI().getRawPath();
        this.segments = Arrays.stream(rawPath.split("/")).filter(s -> !s.isEmpty())
                .map(s -> URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8)).toList();
        this.query = fields(exchange.getRequestURI().getRawQuery());
    }

    String method() {
        return exchange.getRequestMethod();
    }

    List<String> segments() {
        return segments;
    }

    Optional<String> query(String name) {
        return Optional.ofNullable(query.get(name));
    }

    int intQuery(String name, int defaultValue) {
        String value = query.get(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new BadRequest(name + " must be a whole number, not '" + value + "'");
        }
    }

    Optional<String> header(String name) {
        return Optional.ofNullable(exchange.getRequestHeaders().getFirst(name));
    }

    Optional<String> cookie(String name) {
        for (String header : exchange.getRequestHeaders().getOrDefault("Cookie", List.of())) {
            for (String pair : header.split(";")) {
                int equals = pair.indexOf('=');
                if (equals > 0 && pair.substring(0, equals).trim().equals(name)) {
                    return Optional.of(pair.substring(equals + 1).trim());
                }
            }
        }
        return Optional.empty();
    }

    String remoteAddress() {
        return exchange.getRemoteAddress().getAddress().getHostAddress();
    }

    Optional<String> user() {
        return user;
    }

    void user(String name) {
        user = Optional.of(name);
    }

    byte[] body() {
        if (body == null) {
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(MAX_BODY + 1);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (body.length > MAX_BODY) {
                throw new BadRequest("the request body is larger than " + MAX_BODY + " bytes");
            }
        }
        return body;
    }

    /** The fields of an {@code application/x-www-form-urlencoded} body. */
    Map<String, String> form() {
        return fields(new String(body(), StandardCharsets.UTF_8));
    }

    /** The JSON body as a map, or a bad request naming the problem. */
    @SuppressWarnings("unchecked")
    Map<String, Object> jsonBody() {
        if (body().length == 0) {
            return Map.of();
        }
        try {
            Object value = JSON.readValue(body(), Object.class);
            if (value instanceof Map<?, ?> map) {
                return (Map<String, Object>) map;
            }
            throw new BadRequest("the request body must be a JSON object");
        } catch (JsonProcessingException e) {
            throw new BadRequest("the request body is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> fields(String encoded) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return fields;
        }
        for (String pair : encoded.split("&")) {
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            fields.putIfAbsent(name, value);
        }
        return fields;
    }

    void header(String name, String value) {
        exchange.getResponseHeaders().set(name, value);
    }

    void json(int status, Object value) {
        try {
            send(status, "application/json", Secrets.mask(JSON.writeValueAsString(value)));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An RFC 9457 problem document, as Airflow's API answers errors. */
    void problem(int status, String title, String detail) {
        problem(status, title, detail, Map.of());
    }

    /** A problem document; {@code errors} name each refused field, when there are any. */
    void problem(int status, String title, String detail, Map<String, String> errors) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", detail);
        if (!errors.isEmpty()) {
            problem.put("errors", errors);
        }
        try {
            send(status, "application/problem+json", Secrets.mask(JSON.writeValueAsString(problem)));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    void html(int status, String page) {
        send(status, "text/html; charset=utf-8", page);
    }

    void send(int status, String contentType, String text) {
        send(status, contentType, text.getBytes(StandardCharsets.UTF_8));
    }

    void send(int status, String contentType, byte[] bytes) {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        try {
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A 200 answer whose body is written as it comes (chunked), so that a large object never sits in memory; a
     * failure after the headers can only cut the body short.
     */
    void stream(String contentType, java.util.function.Consumer<OutputStream> body) {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        try {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                body.accept(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void redirect(String location) {
        exchange.getResponseHeaders().set("Location", location);
        try {
            exchange.sendResponseHeaders(303, -1);
            exchange.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A request the server refuses with 400 and this message. */
    static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }
}
