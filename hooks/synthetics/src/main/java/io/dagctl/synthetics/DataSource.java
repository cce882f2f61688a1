package io.dagctl.synthetics;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;

/** The CSV a model trains on: a URL the service fetches (a presigned S3 link, say), or data the client uploads. */
public sealed interface DataSource {

    /** The service fetches the CSV from this http(s) URL. */
    static DataSource url(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme();
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("data source URL must be http or https, was '" + scheme + "'");
        }
        return new Url(url);
    }

    /** The client uploads this file (retried like any call). */
    static DataSource file(Path file) {
        return new File(file);
    }

    /** The client uploads what the stream holds; a stream can be read once, so a failed upload is not retried. */
    static DataSource stream(String filename, InputStream data) {
        return new Stream(filename, data);
    }

    record Url(URI url) implements DataSource {
        /** Only the host: a presigned URL's query is a credential. */
        @Override
        public String toString() {
            return "Url[" + url.getScheme() + "://" + url.getHost() + "/…]";
        }
    }

    record File(Path path) implements DataSource {
    }

    record Stream(String filename, InputStream data) implements DataSource {
    }
}
