package io.dagctl;

import java.time.Instant;
import org.slf4j.Logger;

/** What a task knows of the run it is part of. A task gets it by declaring a parameter of this type. */
public interface TaskContext {
    String dagId();

    String taskId();

    String runId();

    /** The start of the data interval for a scheduled run; the trigger time for a manual one. */
    Instant logicalDate();

    DataInterval dataInterval();

    /** 1 for the first try. */
    int tryNumber();

    /** The run's params record, as declared by {@link Dag#params()}. */
    <P extends Record> P params(Class<P> type);

    /** A logger whose lines go to this try's log, secrets masked. */
    Logger log();

    /** A context for calling a task method directly from a unit test. */
    static TestTaskContext.Builder forTest() {
        return TestTaskContext.builder();
    }
}
