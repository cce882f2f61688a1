package io.dagctl;

import java.time.Instant;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A {@link TaskContext} for unit tests that call task methods directly. */
public record TestTaskContext(
        String dagId, String taskId, String runId, Instant logicalDate, DataInterval dataInterval, int tryNumber,
        Record params) implements TaskContext {

    static Builder builder() {
        return new Builder();
    }

    @Override
    public <P extends Record> P params(Class<P> type) {
        if (!type.isInstance(params)) {
            throw new IllegalStateException("the test context holds params of type "
                    + (params == null ? "none" : params.getClass().getName()) + ", not " + type.getName());
        }
        return type.cast(params);
    }

    @Override
    public Logger log() {
        return LoggerFactory.getLogger("task." + dagId + "." + taskId);
    }

    public static final class Builder {
        private String dagId = "test_dag";
        private String taskId = "test_task";
        private String runId = "test_run";
        private Instant logicalDate = Instant.parse("2024-01-01T00:00:00Z");
        private DataInterval dataInterval;
        private int tryNumber = 1;
        private Record params = new Dag.NoParams();

        public Builder dagId(String dagId) {
            this.dagId = Objects.requireNonNull(dagId);
            return this;
        }

        public Builder taskId(String taskId) {
            this.taskId = Objects.requireNonNull(taskId);
            return this;
        }

        public Builder runId(String runId) {
            this.runId = Objects.requireNonNull(runId);
            return this;
        }

        public Builder logicalDate(Instant logicalDate) {
            this.logicalDate = Objects.requireNonNull(logicalDate);
            return this;
        }

        public Builder dataInterval(DataInterval dataInterval) {
            this.dataInterval = Objects.requireNonNull(dataInterval);
            return this;
        }

        public Builder tryNumber(int tryNumber) {
            this.tryNumber = tryNumber;
            return this;
        }

        public Builder params(Record params) {
            this.params = Objects.requireNonNull(params);
            return this;
        }

        public TestTaskContext build() {
            return new TestTaskContext(dagId, taskId, runId, logicalDate,
                    dataInterval == null ? new DataInterval(logicalDate, logicalDate) : dataInterval, tryNumber, params);
        }
    }
}
