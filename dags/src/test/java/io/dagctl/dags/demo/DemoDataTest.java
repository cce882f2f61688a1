package io.dagctl.dags.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dagctl.ConnectionUri;
import io.dagctl.embedded.testing.SharedPostgres;
import io.dagctl.hooks.postgres.PostgresHook;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DemoDataTest {
    private static PostgresHook hook;

    @BeforeAll
    static void createDatabase() {
        hook = new PostgresHook(ConnectionUri.parse("demo", SharedPostgres.freshDatabase("demo")));
    }

    @Test
    void theSameSeedGivesTheSameRowsAndAnotherSeedOthers() {
        DemoData.seedAirbnb(hook, 300, 7);
        String first = dump();
        DemoData.Summary again = DemoData.seedAirbnb(hook, 300, 7);
        String second = dump();

        assertThat(again.users()).isEqualTo(330);
        assertThat(again.usersWithSessions()).isEqualTo(300);
        assertThat(count("SELECT count(*) FROM users")).isEqualTo(330);
        assertThat(count("SELECT count(DISTINCT user_id) FROM sessions")).isEqualTo(300);
        assertThat(count("SELECT count(*) FROM sessions")).isEqualTo(again.sessions());
        assertThat(second).isEqualTo(first);

        DemoData.seedAirbnb(hook, 300, 8);
        String other = dump();
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void generatesDataShapedLikeTheKaggleOriginal() {
        DemoData.Summary summary = DemoData.seedAirbnb(hook, 2_000, DemoData.DEFAULT_SEED);

        double actionsPerUser = (double) summary.sessions() / summary.usersWithSessions();
        assertThat(actionsPerUser).isBetween(20.0, 80.0);
        assertThat(share("SELECT avg((gender = '-unknown-')::int) FROM users")).isBetween(0.40, 0.50);
        assertThat(share("SELECT avg((age IS NULL)::int) FROM users")).isBetween(0.37, 0.47);
        assertThat(count("SELECT count(*) FROM users WHERE age IN (105, 2014)")).isPositive();
        assertThat(share("SELECT avg((language = 'en')::int) FROM users")).isGreaterThan(0.94);
        assertThat(share("SELECT avg((date_first_booking IS NULL)::int) FROM users")).isBetween(0.53, 0.63);
        assertThat(count("SELECT count(*) FROM users WHERE date_first_booking < date_account_created - 31"))
                .isZero();
        assertThat(count("SELECT count(*) FROM users WHERE timestamp_first_active !~ '^20[0-9]{12}$'")).isZero();
        assertThat(count("SELECT count(*) FROM users u WHERE date_account_created < '2014-01-01'"
                + " AND EXISTS (SELECT 1 FROM sessions s WHERE s.user_id = u.id)")).isZero();
        assertThat(stringColumn("SELECT DISTINCT signup_method FROM users ORDER BY 1"))
                .containsExactly("basic", "facebook", "google");
        assertThat(share("SELECT avg((secs_elapsed IS NULL)::int) FROM sessions")).isBetween(0.005, 0.03);
        // Heavy tail: the longest times dwarf the typical one.
        assertThat(share("SELECT max(secs_elapsed) / percentile_cont(0.5) WITHIN GROUP (ORDER BY secs_elapsed)"
                + " FROM sessions")).isGreaterThan(100);
        assertThat(count("SELECT count(DISTINCT action_type) FROM sessions")).isGreaterThanOrEqualTo(7);
    }

    @Test
    void loadsTheFirstFourWeeksOfBikeRidesAsTheReferenceAndLeavesCurrentEmpty() {
        long days = DemoData.seedBikes(hook);

        assertThat(days).isEqualTo(28);
        assertThat(stringColumn("SELECT min(dteday) || ' ' || max(dteday) FROM reference"))
                .containsExactly("2011-01-01 2011-01-28");
        assertThat(stringColumn("SELECT concat_ws(',', instant, dteday, season, yr, mnth, holiday, weekday,"
                + " workingday, weathersit, temp, atemp, hum, windspeed, casual, registered, cnt)"
                + " FROM reference WHERE instant = 1"))
                .containsExactly("1,2011-01-01,1,0,1,0,6,0,2,0.344167,0.363625,0.805833,0.160446,331,654,985");
        assertThat(count("SELECT count(*) FROM current")).isZero();
        List<Map<String, Object>> types = hook.jdbi().withHandle(h -> h.createQuery(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'current'"
                        + " ORDER BY ordinal_position").mapToMap().list());
        assertThat(types).extracting(row -> row.get("column_name") + " " + row.get("data_type")).containsExactly(
                "instant bigint", "dteday date", "season bigint", "yr bigint", "mnth bigint", "holiday bigint",
                "weekday bigint", "workingday bigint", "weathersit bigint", "temp double precision",
                "atemp double precision", "hum double precision", "windspeed double precision", "casual bigint",
                "registered bigint", "cnt bigint");
    }

    @Test
    void refusesANonPositiveNumberOfUsers() {
        assertThatThrownBy(() -> DemoData.seedAirbnb(hook, 0, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("demo seed: the number of users must be positive, not 0");
    }

    private static String dump() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        hook.copyOut("SELECT * FROM users ORDER BY id", out);
        hook.copyOut("SELECT * FROM sessions", out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static long count(String query) {
        return hook.jdbi().withHandle(h -> h.createQuery(query).mapTo(Long.class).one());
    }

    private static double share(String query) {
        return hook.jdbi().withHandle(h -> h.createQuery(query).mapTo(Double.class).one());
    }

    private static List<String> stringColumn(String query) {
        return hook.jdbi().withHandle(h -> h.createQuery(query).mapTo(String.class).list());
    }
}
