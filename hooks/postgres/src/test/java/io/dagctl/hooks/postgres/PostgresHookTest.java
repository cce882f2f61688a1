package io.dagctl.hooks.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.dagctl.ConnectionUri;
import io.dagctl.RetryAdvice;
import io.dagctl.embedded.testing.SharedPostgres;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresHookTest {
    private static String uri;
    private static PostgresHook hook;

    @TempDir
    Path temp;

    @BeforeAll
    static void startDatabase() {
        uri = SharedPostgres.freshDatabase("hook");
        hook = new PostgresHook(ConnectionUri.parse("warehouse", uri));
    }

    @BeforeEach
    void createTables() {
        hook.jdbi().useHandle(h -> h.createScript("""
                DROP TABLE IF EXISTS items;
                CREATE TABLE items (id integer PRIMARY KEY, name text, price numeric);
                INSERT INTO items VALUES (1, 'apple', 0.5), (2, 'pear, green', NULL), (3, 'plum "red"', 2);
                """).execute());
    }

    @Test
    void copiesAQueryOutAsCsvWithAHeader() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        long rows = hook.copyOut("SELECT id, name, price FROM items ORDER BY id;", out);

        assertThat(rows).isEqualTo(3);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("""
                id,name,price
                1,apple,0.5
                2,"pear, green",
                3,"plum ""red""\",2
                """);
    }

    @Test
    void copiesAQueryOutIntoAFile() throws Exception {
        Path file = temp.resolve("items.csv");

        long rows = hook.copyOut("SELECT id FROM items WHERE id > 1 ORDER BY id", file);

        assertThat(rows).isEqualTo(2);
        assertThat(Files.readString(file)).isEqualTo("id\n2\n3\n");
        assertThat(temp).isDirectoryNotContaining("glob:**.partial");
    }

    @Test
    void aFailedCopyOutLeavesNoFileBehind() {
        Path file = temp.resolve("items.csv");

        assertThatThrownBy(() -> hook.copyOut("SELECT no_such_column FROM items", file))
                .isInstanceOf(PostgresHookException.class)
                .hasMessageStartingWith("COPY out of postgresql://postgres:***@127.0.0.1:")
                .hasMessageContaining("failed: ERROR: column \"no_such_column\" does not exist");
        assertThat(temp).isEmptyDirectory();
    }

    @Test
    void loadsCsvIntoTheNamedColumns() {
        InputStream csv = csv("name;id\nfig;10\nNA;11\n");

        long rows = hook.copyIn("public.items", csv,
                CsvOptions.defaults().withColumns("name", "id").withDelimiter(';').withNullString("NA"));

        assertThat(rows).isEqualTo(2);
        assertThat(strings("SELECT coalesce(name, '<null>') FROM items WHERE id >= 10 ORDER BY id"))
                .containsExactly("fig", "<null>");
    }

    @Test
    void replacingExistingRowsEmptiesTheTableInTheSameTransaction() {
        long rows = hook.copyIn("items", csv("4,quince,3\n"), CsvOptions.defaults().withoutHeader().replacingExisting());

        assertThat(rows).isEqualTo(1);
        assertThat(ids()).containsExactly(4);
    }

    @Test
    void aRejectedRowLeavesTheTableAsItWas() {
        InputStream csv = csv("id,name,price\n5,kiwi,1\nsix,mango,2\n");

        assertThatThrownBy(() -> hook.copyIn("items", csv, CsvOptions.defaults().replacingExisting()))
                .isInstanceOf(PostgresHookException.class)
                .hasMessageStartingWith("COPY into items on postgresql://postgres:***@127.0.0.1:")
                .hasMessageContaining("failed: ERROR: invalid input syntax for type integer: \"six\"");
        assertThat(ids()).containsExactly(1, 2, 3);
    }

    @Test
    void refusesTableAndColumnNamesThatAreNotIdentifiers() {
        assertThatThrownBy(() -> hook.copyIn("items; DROP TABLE items", csv(""), CsvOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("table name 'items; DROP TABLE items' is not an identifier: use letters, digits and _ "
                        + "(optionally schema.table)");
        assertThatThrownBy(() -> hook.copyIn("a.b.c", csv(""), CsvOptions.defaults()))
                .hasMessage("table name 'a.b.c' is not an identifier: use letters, digits and _ "
                        + "(optionally schema.table)");
        assertThatThrownBy(() -> hook.copyIn("items", csv(""), CsvOptions.defaults().withColumns("id\") FROM x --")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("column name 'id\") FROM x --' is not an identifier: use letters, digits and _");
        assertThat(ids()).containsExactly(1, 2, 3);
    }

    @Test
    void aQuoteInTheNullStringStaysALiteral() {
        long rows = hook.copyIn("items", csv("id,name\n7,x'y\n"),
                CsvOptions.defaults().withColumns("id", "name").withNullString("x'y"));

        assertThat(rows).isEqualTo(1);
        assertThat(strings("SELECT (name IS NULL)::text FROM items WHERE id = 7")).containsExactly("true");
    }

    @Test
    void runsStatementsInOneTransaction() {
        assertThatThrownBy(() -> hook.inTransaction(h -> {
            h.execute("DELETE FROM items");
            throw new IllegalStateException("changed my mind");
        })).hasMessage("changed my mind");
        assertThat(ids()).containsExactly(1, 2, 3);

        long loaded = hook.inTransaction(h -> {
            h.execute("DELETE FROM items WHERE id = 1");
            return hook.copyIn(h, "items", csv("8,date,1\n"), CsvOptions.defaults().withoutHeader());
        });
        assertThat(loaded).isEqualTo(1);
        assertThat(ids()).containsExactly(2, 3, 8);
    }

    @Test
    void aValueTheColumnRefusesAndADuplicateKeyFailWithoutRetry() {
        Throwable badValue = catchThrowable(() -> hook.copyIn("items", csv("id,name,price\nsix,mango,2\n"),
                CsvOptions.defaults()));
        Throwable duplicate = catchThrowable(() -> hook.copyIn("items", csv("id,name,price\n1,apple,1\n"),
                CsvOptions.defaults()));

        assertThat(badValue).hasMessageContaining("invalid input syntax for type integer: \"six\"");
        assertThat(RetryAdvice.allowsRetry(badValue)).isFalse();
        assertThat(duplicate).hasMessageContaining("duplicate key value violates unique constraint \"items_pkey\"");
        assertThat(RetryAdvice.allowsRetry(duplicate)).isFalse();
    }

    @Test
    void aFailedConnectionIsRetried() {
        PostgresHook badHook = new PostgresHook(ConnectionUri.parse("warehouse",
                uri.replaceFirst(":[^:@/]+@", ":not-the-password@")));

        assertThat(RetryAdvice.allowsRetry(catchThrowable(() -> badHook.copyOut("SELECT 1",
                new ByteArrayOutputStream())))).isTrue();
    }

    @Test
    void aFailedConnectionNamesItWithoutThePassword() {
        String password = "wrong-Pa55word-" + System.nanoTime();
        String wrong = uri.replaceFirst(":[^:@/]+@", ":" + password + "@");
        PostgresHook badHook = new PostgresHook(ConnectionUri.parse("warehouse", wrong));

        assertThatThrownBy(() -> badHook.copyOut("SELECT 1", new ByteArrayOutputStream()))
                .isInstanceOf(PostgresHookException.class)
                .hasMessageStartingWith("could not connect to postgresql://postgres:***@127.0.0.1:")
                .hasMessageEndingWith(": FATAL: password authentication failed for user \"postgres\"")
                .satisfies(e -> assertThat(stackTrace(e)).doesNotContain(password));
    }

    @Test
    void refusesConnectionsThatAreNotPostgres() {
        assertThatThrownBy(() -> new PostgresHook(ConnectionUri.parse("warehouse", "mysql://u:p@db:3306/x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("connection 'warehouse' has scheme 'mysql': a PostgresHook needs "
                        + "postgresql://login:password@host:port/database");
        assertThatThrownBy(() -> new PostgresHook(ConnectionUri.parse("warehouse", "postgresql://u:p@db/x?colour=red")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("connection 'warehouse' has parameter 'colour', which the PostgreSQL driver does not know");
    }

    @Test
    void passesDriverParametersFromTheUri() {
        PostgresHook tagged = new PostgresHook(ConnectionUri.parse("warehouse", uri + "?ApplicationName=nightly"));

        String applicationName = tagged.jdbi().withHandle(
                h -> h.createQuery("SELECT current_setting('application_name')").mapTo(String.class).one());
        assertThat(applicationName).isEqualTo("nightly");
    }

    private static List<Integer> ids() {
        return hook.jdbi().withHandle(h -> h.createQuery("SELECT id FROM items ORDER BY id").mapTo(Integer.class).list());
    }

    private static List<String> strings(String query) {
        return hook.jdbi().withHandle(h -> h.createQuery(query).mapTo(String.class).list());
    }

    private static InputStream csv(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String stackTrace(Throwable e) {
        StringWriter text = new StringWriter();
        e.printStackTrace(new PrintWriter(text));
        return text.toString();
    }
}
