package io.dagctl.dags.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.ConnectionUri;
import io.dagctl.embedded.testing.SharedPostgres;
import io.dagctl.hooks.postgres.PostgresHook;
import io.dagctl.hooks.postgres.Sql;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** sql/session_rollups__by_user.sql on the default demo data. */
class SessionRollupsTest {
    private static final String HEADER = "user_id,gender,age,language,signup_method,date_account_created,"
            + "number_of_actions_taken,number_of_unique_actions,avg_session_time_seconds,min_session_time_seconds,"
            + "max_session_time_seconds";
    private static PostgresHook hook;
    private static DemoData.Summary seeded;

    @BeforeAll
    static void seedTheDefaultDemo() {
        hook = new PostgresHook(ConnectionUri.parse("booking_db", SharedPostgres.freshDatabase("rollups")));
        long started = System.nanoTime();
        seeded = DemoData.seed(hook, DemoData.DEFAULT_USERS, DemoData.DEFAULT_SEED);
        System.out.printf("seeded %s in %d ms%n", seeded, (System.nanoTime() - started) / 1_000_000);
    }

    @Test
    void yieldsOneRowPerUserWithSessionsInUserOrderWithTheColumnsInOrder() {
        List<String> lines = rollup();

        assertThat(seeded.usersWithSessions()).isEqualTo(5_000);
        assertThat(seeded.users()).isEqualTo(5_500);
        assertThat(lines.get(0)).isEqualTo(HEADER);
        assertThat(lines).hasSize(5_001);
        List<String> ids = lines.stream().skip(1).map(line -> line.substring(0, line.indexOf(','))).toList();
        assertThat(ids).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void rollsUpAHandCheckedUser() {
        hook.jdbi().useHandle(h -> h.createScript("""
                INSERT INTO users VALUES ('zzzzhand01', '2014-03-02', '20140302101500', NULL, 'FEMALE', 41,
                    'basic', 0, 'fr', 'direct', 'direct', 'untracked', 'Web', 'Mac Desktop', 'Safari');
                INSERT INTO sessions VALUES
                    ('zzzzhand01', 'show', 'view', 'p3', 'Mac Desktop', 10),
                    ('zzzzhand01', 'search', 'click', 'view_search_results', 'Mac Desktop', 20.4),
                    ('zzzzhand01', 'lookup', NULL, NULL, 'Mac Desktop', NULL),
                    ('zzzzhand01', 'show', 'view', 'p3', 'Mac Desktop', 31);
                """).execute());
        try {
            // count 4 (NULL time included); 2 action types (NULL not one); avg (10 + 20.4 + 31) / 3 = 20.47 -> 20.
            assertThat(rollup()).contains("zzzzhand01,FEMALE,41,fr,basic,2014-03-02,4,2,20,10,31")
                    .hasSize(5_002);
        } finally {
            hook.jdbi().useHandle(h -> h.createScript("""
                    DELETE FROM sessions WHERE user_id = 'zzzzhand01';
                    DELETE FROM users WHERE id = 'zzzzhand01';
                    """).execute());
        }
    }

    private static List<String> rollup() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long rows = hook.copyOut(Sql.file("session_rollups__by_user.sql"), out);
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(rows).isEqualTo(lines.size() - 1);
        return lines;
    }
}
