package io.dagctl.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.ops.Operations.ConnectionSummary;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A connection as the faces list it: id, type, host, port and origin, nothing else of its URI. */
class ConnectionSummaryTest {
    @Test
    void keepsOnlyTheTypeHostAndPortOfAConfiguredConnection() {
        assertThat(ConnectionSummary.configured(Map.of("DAGCTL_CONN_WAREHOUSE",
                "postgresql://loader:load-pass@wh.example.com:5433/dw?sslmode=require&password=extra-pass",
                "HOME", "/root"))).containsExactly(new ConnectionSummary("warehouse", "postgresql",
                Optional.of("wh.example.com"), Optional.of(5433), "DAGCTL_CONN_WAREHOUSE"));
    }

    @Test
    void listsAConnectionThatDoesNotParseWithTheReasonAndNotTheUri() {
        assertThat(ConnectionSummary.configured(Map.of("DAGCTL_CONN_BROKEN", "postgresql://u:p@db.example.com:54x2/b")))
                .containsExactly(new ConnectionSummary("broken", "invalid", Optional.empty(), Optional.empty(),
                        "DAGCTL_CONN_BROKEN: connection 'broken' has port '54x2', which is not a number from 0 to"
                                + " 65535"));
    }
}
