package io.dagctl.hooks.postgres.internal;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Table and column names that reach COPY statements: checked against a strict pattern, then quoted. */
public final class Identifiers {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    private Identifiers() {
    }

    /** {@code users} → {@code "users"}, {@code demo.users} → {@code "demo"."users"}. */
    public static String table(String name) {
        String[] parts = name.split("\\.", -1);
        if (parts.length > 2 || !List.of(parts).stream().allMatch(p -> IDENTIFIER.matcher(p).matches())) {
            throw new IllegalArgumentException("table name '" + name
                    + "' is not an identifier: use letters, digits and _ (optionally schema.table)");
        }
        return List.of(parts).stream().map(Identifiers::quote).collect(Collectors.joining("."));
    }

    public static String column(String name) {
        if (!IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("column name '" + name
                    + "' is not an identifier: use letters, digits and _");
        }
        return quote(name);
    }

    /** A string literal; standard_conforming_strings (on since PostgreSQL 9.1) keeps backslashes literal. */
    public static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private static String quote(String identifier) {
        return '"' + identifier + '"';
    }
}
