package io.dagctl.hooks.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * SQL shipped with the pipelines, read from the classpath resources under {@code sql/} and nowhere else: a run
 * parameter that picks a file must not be able to reach the file system.
 */
public final class Sql {
    private static final String ROOT = "sql/";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*\\.sql");

    private Sql() {
    }

    /**
     * The text of {@code sql/<name>}, e.g. {@code Sql.file("session_rollups__by_user.sql")} or
     * {@code Sql.file("demo/airbnb_schema.sql")}.
     *
     * @throws IllegalArgumentException when the name is not a relative {@code .sql} resource name, or no such
     *     resource exists
     */
    public static String file(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Sql.file: '" + name + "' is not a SQL resource name: expected "
                    + "letters, digits, _ and - in /-separated parts ending in .sql, relative to sql/");
        }
        try (InputStream in = open(ROOT + name)) {
            if (in == null) {
                throw new IllegalArgumentException("Sql.file: no classpath resource " + ROOT + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Sql.file: could not read " + ROOT + name, e);
        }
    }

    /** DAG jars may come with their own class loader: look there first. */
    private static InputStream open(String resource) {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        InputStream in = context == null ? null : context.getResourceAsStream(resource);
        return in != null ? in : Sql.class.getClassLoader().getResourceAsStream(resource);
    }
}
