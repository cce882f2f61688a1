package io.dagctl.internal.runtime;

import io.dagctl.DataInterval;
import io.dagctl.TaskContext;
import io.dagctl.internal.logging.TaskLogs;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The context of one try; its logger's lines reach the try's log file through the thread's MDC. */
record RuntimeTaskContext(
        String dagId, String taskId, String runId, Instant logicalDate, DataInterval dataInterval, int tryNumber,
        Record params) implements TaskContext {

    @Override
    public <P extends Record> P params(Class<P> type) {
        if (!type.isInstance(params)) {
            throw new IllegalStateException("DAG " + dagId + " declares params of type "
                    + params.getClass().getName() + ", not " + type.getName());
        }
        return type.cast(params);
    }

    @Override
    public Logger log() {
        return LoggerFactory.getLogger(TaskLogs.TASK_LOGGER_PREFIX + dagId + "." + taskId);
    }
}
