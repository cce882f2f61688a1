package io.dagctl.hooks.http;

import io.dagctl.FailWithoutRetryException;
import io.dagctl.Secrets;
import io.dagctl.hooks.http.internal.RetryingCaller;
import io.dagctl.hooks.http.internal.UrlMasking;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GETs URLs to files or streams. Relative URLs resolve against the connection's base URL and carry its headers;
 * {@code file:} URIs read local files, so that a DAG parameter may name either. Connection failures, 5xx and 429
 * are retried with backoff; any other error status fails with an {@link HttpStatusException} naming the URL with
 * its secrets masked. What no later try can change fails the task without retry: a 4xx status, a missing file
 * ({@link MissingFileException}), a malformed URL ({@link FailWithoutRetryException}).
 */
public final class HttpHook {
    private static final Logger LOG = LoggerFactory.getLogger(HttpHook.class);
    private static final int ERROR_BODY_CHARS = 200;

    private final RetryingCaller caller;
    private final Optional<HttpUrl> baseUrl;
    private final Headers headers;
    private final String connectionId;

    HttpHook(RetryingCaller caller, Optional<HttpUrl> baseUrl, Headers headers, String connectionId) {
        this.caller = caller;
        this.baseUrl = baseUrl;
        this.headers = headers;
        this.connectionId = connectionId;
    }

    /** The content at {@code url}, streamed; the caller closes it. */
    public InputStream open(String url) throws IOException {
        if (isFile(url)) {
            try {
                return Files.newInputStream(Path.of(URI.create(url)));
            } catch (NoSuchFileException e) {
                throw new MissingFileException(e.getFile());
            }
        }
        HttpUrl resolved = resolve(url);
        String target = "GET " + UrlMasking.mask(resolved);
        // The connection's credentials go only to its own host, never to an absolute URL elsewhere.
        Headers sent = baseUrl.filter(base -> sameOrigin(base, resolved)).isPresent() ? headers : Headers.of();
        Response response = caller.execute(new Request.Builder().url(resolved).headers(sent).get().build(), target);
        if (!response.isSuccessful()) {
            try (response) {
                throw new HttpStatusException(target + " failed: HTTP " + response.code() + describe(response),
                        response.code());
            }
        }
        ResponseBody body = response.body();
        return new FilterInputStream(body.byteStream()) {
            @Override
            public int read() throws IOException {
                try {
                    return super.read();
                } catch (InterruptedIOException e) {
                    throw caller.deadlineExceeded(target);
                }
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                try {
                    return super.read(buffer, offset, length);
                } catch (InterruptedIOException e) {
                    throw caller.deadlineExceeded(target);
                }
            }

            @Override
            public void close() {
                response.close();
            }
        };
    }

    /**
     * Saves the content at {@code url} to {@code target} through a temporary file beside it, so that a failed
     * download leaves no partial file.
     *
     * @return the number of bytes saved
     */
    public long download(String url, Path target) throws IOException {
        Path absolute = target.toAbsolutePath();
        Files.createDirectories(absolute.getParent());
        Path temporary = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".part");
        try (InputStream in = open(url)) {
            long bytes = Files.copy(in, temporary, StandardCopyOption.REPLACE_EXISTING);
            Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            LOG.info("downloaded {} bytes from {} to {}", bytes, isFile(url) ? url : UrlMasking.mask(resolve(url)),
                    target);
            return bytes;
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static boolean sameOrigin(HttpUrl a, HttpUrl b) {
        return a.scheme().equals(b.scheme()) && a.host().equals(b.host()) && a.port() == b.port();
    }

    private static boolean isFile(String url) {
        return url.regionMatches(true, 0, "file:", 0, 5);
    }

    private HttpUrl resolve(String url) {
        HttpUrl absolute = HttpUrl.parse(url);
        if (absolute != null) {
            return absolute;
        }
        if (url.contains("://")) {
            throw new FailWithoutRetryException("'" + Secrets.mask(url) + "' is not an http(s) or file URL");
        }
        HttpUrl base = baseUrl.orElseThrow(() -> new FailWithoutRetryException("'" + Secrets.mask(url)
                + "' is relative, but connection '" + connectionId + "' has no base URL"));
        HttpUrl resolved = base.resolve(url);
        if (resolved == null) {
            throw new FailWithoutRetryException("'" + Secrets.mask(url) + "' does not resolve against the base URL of "
                    + "connection '" + connectionId + "'");
        }
        return resolved;
    }

    /** The reason phrase and the start of the body, which often says what was wrong. */
    private static String describe(Response response) {
        String reason = response.message().isEmpty() ? "" : " " + response.message();
        try {
            String body = response.peekBody(ERROR_BODY_CHARS).string().strip();
            return body.isEmpty() ? reason : reason + ": " + Secrets.mask(body.replaceAll("\\s+", " "));
        } catch (IOException e) {
            return reason;
        }
    }
}
