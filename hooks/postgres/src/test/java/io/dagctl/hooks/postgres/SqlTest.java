package io.dagctl.hooks.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SqlTest {
    @Test
    void readsPipelineSqlFromTheClasspath() {
        assertThat(Sql.file("session_rollups__by_user.sql")).contains("FROM sessions").contains("ORDER BY u.id");
        assertThat(Sql.file("demo/airbnb_schema.sql")).contains("CREATE TABLE users");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../etc/passwd.sql", "/etc/passwd.sql", "demo/../session_rollups__by_user.sql",
            "file:/tmp/x.sql", "demo//x.sql", "session_rollups__by_user.txt", "", "demo\\x.sql"})
    void refusesNamesThatCouldLeaveTheSqlResources(String name) {
        assertThatThrownBy(() -> Sql.file(name))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Sql.file: '" + name + "' is not a SQL resource name: expected letters, digits, _ and - "
                        + "in /-separated parts ending in .sql, relative to sql/");
    }

    @Test
    void namesTheMissingResource() {
        assertThatThrownBy(() -> Sql.file("no_such_query.sql"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Sql.file: no classpath resource sql/no_such_query.sql");
    }
}
