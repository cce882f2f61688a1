package io.dagctl.internal.runtime;

import static io.dagctl.TaskState.FAILED;
import static io.dagctl.TaskState.NONE;
import static io.dagctl.TaskState.RUNNING;
import static io.dagctl.TaskState.SKIPPED;
import static io.dagctl.TaskState.SUCCESS;
import static io.dagctl.internal.runtime.TriggerRules.Decision.RUN;
import static io.dagctl.internal.runtime.TriggerRules.Decision.SKIP;
import static io.dagctl.internal.runtime.TriggerRules.Decision.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.TaskState;
import io.dagctl.TriggerRule;
import io.dagctl.internal.runtime.TriggerRules.Decision;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TriggerRulesTest {
    static Stream<Arguments> airflowDecisions() {
        return Stream.of(
                rule(TriggerRule.ALL_SUCCESS, RUN, SUCCESS, SUCCESS),
                rule(TriggerRule.ALL_SUCCESS, WAIT, SUCCESS, RUNNING),
                rule(TriggerRule.ALL_SUCCESS, SKIP, SUCCESS, SKIPPED),
                rule(TriggerRule.ALL_SUCCESS, Decision.UPSTREAM_FAILED, FAILED, RUNNING),
                rule(TriggerRule.ALL_SUCCESS, Decision.UPSTREAM_FAILED, TaskState.UPSTREAM_FAILED, SKIPPED),
                rule(TriggerRule.ALL_FAILED, RUN, FAILED, TaskState.UPSTREAM_FAILED),
                rule(TriggerRule.ALL_FAILED, SKIP, FAILED, SUCCESS),
                rule(TriggerRule.ALL_FAILED, WAIT, FAILED, NONE),
                rule(TriggerRule.ALL_DONE, RUN, FAILED, SKIPPED, SUCCESS),
                rule(TriggerRule.ALL_DONE, WAIT, FAILED, RUNNING),
                rule(TriggerRule.ALL_SKIPPED, RUN, SKIPPED, SKIPPED),
                rule(TriggerRule.ALL_SKIPPED, SKIP, SKIPPED, SUCCESS),
                rule(TriggerRule.ALL_SKIPPED, WAIT, SKIPPED, RUNNING),
                rule(TriggerRule.ONE_SUCCESS, RUN, SUCCESS, RUNNING),
                rule(TriggerRule.ONE_SUCCESS, WAIT, FAILED, RUNNING),
                rule(TriggerRule.ONE_SUCCESS, Decision.UPSTREAM_FAILED, FAILED, SKIPPED),
                rule(TriggerRule.ONE_SUCCESS, SKIP, SKIPPED, SKIPPED),
                rule(TriggerRule.ONE_FAILED, RUN, FAILED, RUNNING),
                rule(TriggerRule.ONE_FAILED, WAIT, SUCCESS, RUNNING),
                rule(TriggerRule.ONE_FAILED, SKIP, SUCCESS, SKIPPED),
                rule(TriggerRule.ONE_DONE, RUN, FAILED, RUNNING),
                rule(TriggerRule.ONE_DONE, RUN, SUCCESS, NONE),
                rule(TriggerRule.ONE_DONE, WAIT, SKIPPED, RUNNING),
                rule(TriggerRule.ONE_DONE, SKIP, SKIPPED, SKIPPED),
                rule(TriggerRule.NONE_FAILED, RUN, SUCCESS, SKIPPED),
                rule(TriggerRule.NONE_FAILED, Decision.UPSTREAM_FAILED, SUCCESS, FAILED),
                rule(TriggerRule.NONE_FAILED, WAIT, SKIPPED, RUNNING),
                rule(TriggerRule.NONE_SKIPPED, RUN, SUCCESS, FAILED),
                rule(TriggerRule.NONE_SKIPPED, SKIP, SUCCESS, SKIPPED),
                rule(TriggerRule.NONE_SKIPPED, WAIT, SUCCESS, RUNNING),
                rule(TriggerRule.NONE_FAILED_MIN_ONE_SUCCESS, RUN, SUCCESS, SKIPPED),
                rule(TriggerRule.NONE_FAILED_MIN_ONE_SUCCESS, SKIP, SKIPPED, SKIPPED),
                rule(TriggerRule.NONE_FAILED_MIN_ONE_SUCCESS, Decision.UPSTREAM_FAILED, SKIPPED, FAILED),
                rule(TriggerRule.NONE_FAILED_MIN_ONE_SUCCESS, WAIT, SUCCESS, RUNNING),
                rule(TriggerRule.ALWAYS, RUN, FAILED, RUNNING),
                rule(TriggerRule.ALL_SUCCESS, RUN));
    }

    private static Arguments rule(TriggerRule rule, Decision expected, TaskState... upstream) {
        return Arguments.of(rule, List.of(upstream), expected);
    }

    @ParameterizedTest(name = "{0} with upstream {1} decides {2}")
    @MethodSource("airflowDecisions")
    void decidesAsAirflowDoes(TriggerRule rule, List<TaskState> upstream, Decision expected) {
        assertThat(TriggerRules.decide(rule, upstream)).isEqualTo(expected);
    }
}
