package io.dagctl.internal.runtime;

import io.dagctl.TaskState;
import io.dagctl.TriggerRule;
import java.util.Collection;

/**
 * Airflow's trigger rules: given the states of a task's direct upstream tasks, whether it waits, runs, or is
 * decided without running (skipped, upstream_failed), as Airflow's scheduler decides it.
 */
final class TriggerRules {
    enum Decision { WAIT, RUN, SKIP, UPSTREAM_FAILED }

    private TriggerRules() {
    }

    static Decision decide(TriggerRule rule, Collection<TaskState> upstream) {
        int total = upstream.size();
        int success = 0;
        int skipped = 0;
        int failed = 0;
        int done = 0;
        for (TaskState state : upstream) {
            switch (state) {
                case SUCCESS -> success++;
                case SKIPPED -> skipped++;
                case FAILED, UPSTREAM_FAILED -> failed++;
                default -> { }
            }
            if (state.isFinished()) {
                done++;
            }
        }
        boolean allDone = done == total;
        return switch (rule) {
            case ALL_SUCCESS -> failed > 0 ? Decision.UPSTREAM_FAILED
                    : skipped > 0 ? Decision.SKIP
                    : success == total ? Decision.RUN : Decision.WAIT;
            case ALL_FAILED -> success + skipped > 0 ? Decision.SKIP
                    : failed == total ? Decision.RUN : Decision.WAIT;
            case ALL_DONE -> allDone ? Decision.RUN : Decision.WAIT;
            case ALL_SKIPPED -> success + failed > 0 ? Decision.SKIP
                    : skipped == total ? Decision.RUN : Decision.WAIT;
            case ONE_SUCCESS -> success > 0 || total == 0 ? Decision.RUN
                    : !allDone ? Decision.WAIT
                    : skipped == total ? Decision.SKIP : Decision.UPSTREAM_FAILED;
            case ONE_FAILED -> failed > 0 || total == 0 ? Decision.RUN
                    : allDone ? Decision.SKIP : Decision.WAIT;
            case ONE_DONE -> success + failed > 0 || total == 0 ? Decision.RUN
                    : allDone ? Decision.SKIP : Decision.WAIT;
            case NONE_FAILED -> failed > 0 ? Decision.UPSTREAM_FAILED
                    : allDone ? Decision.RUN : Decision.WAIT;
            case NONE_SKIPPED -> skipped > 0 ? Decision.SKIP
                    : allDone ? Decision.RUN : Decision.WAIT;
            case NONE_FAILED_MIN_ONE_SUCCESS -> failed > 0 ? Decision.UPSTREAM_FAILED
                    : !allDone ? Decision.WAIT
                    : skipped == total && total > 0 ? Decision.SKIP : Decision.RUN;
            case ALWAYS -> Decision.RUN;
        };
    }
}
