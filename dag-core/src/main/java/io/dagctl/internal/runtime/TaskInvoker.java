package io.dagctl.internal.runtime;

import io.dagctl.DataInterval;
import io.dagctl.FailWithoutRetryException;
import io.dagctl.Notification;
import io.dagctl.Notifier;
import io.dagctl.RetryAdvice;
import io.dagctl.Secrets;
import io.dagctl.SkipTaskException;
import io.dagctl.internal.inject.DagInjector;
import io.dagctl.internal.logging.TaskLogs;
import io.dagctl.internal.logging.TaskLogs.TryLog;
import io.dagctl.internal.store.DagRun;
import io.dagctl.internal.store.TaskInstance;
import io.dagctl.internal.xcom.XComException;
import io.dagctl.internal.xcom.XComKey;
import io.dagctl.spec.ArgumentSpec;
import io.dagctl.spec.DagSpec;
import io.dagctl.spec.TaskSpec;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Invokes the task methods of one run: binds their arguments from XCom JSON, enforces the execution timeout, writes
 * each try's lines to its own log file and reports its outcome exactly once. Shared by the single-process
 * {@link RunExecution} and by {@link Worker}s; it decides no state.
 */
final class TaskInvoker {
    private static final Logger LOG = LoggerFactory.getLogger(TaskInvoker.class);
    private static final Logger TRY_LOG = LoggerFactory.getLogger(TaskLogs.TASK_LOGGER_PREFIX + "runtime");
    private static final int MAX_ERROR_LENGTH = 8000;

    private final DagRuntime runtime;
    private final DagSpec dag;
    private final DagRun run;
    private final DagInjector.RunHooks hooks = new DagInjector.RunHooks();
    /** Made at the first try: a run id its log directory cannot be made of fails that try, not the run's start. */
    private TaskLogs.RunLogs logs;
    private Object dagInstance;
    private Record params;

    TaskInvoker(DagRuntime runtime, DagSpec dag, DagRun run) {
        this.runtime = runtime;
        this.dag = dag;
        this.run = run;
    }

    /** What one try takes: the JSON of the upstream values it reads, and of its element when it is mapped. */
    record Inputs(Map<String, String> upstreamJson, Optional<String> elementJson, int mapIndex) {
        static Inputs of(Map<String, String> upstreamJson) {
            return new Inputs(upstreamJson, Optional.empty(), -1);
        }
    }

    private synchronized TaskLogs.RunLogs runLogs() {
        if (logs == null) {
            logs = runtime.logs.ofRun(dag.id(), run.runId());
        }
        return logs;
    }

    /** The log file of try {@code tryNumber} of the instance {@code label}, to open ahead of the try or as it starts. */
    TryLogOpening logOf(String label, int tryNumber) {
        return new TryLogOpening(() -> runLogs().open(label, tryNumber));
    }

    /**
     * On the calling thread: one try, its outcome given to {@code report} exactly once, whatever fails on the way (the
     * log, the timer, injection, the task, serialization, XCom), so that a run never waits for a try that ended.
     */
    void runTry(TaskSpec spec, int tryNumber, int maxTries, Inputs inputs, TryLogOpening opening,
            Consumer<TryOutcome> report) {
        String label = TaskInstance.label(spec.id(), inputs.mapIndex());
        TryLog log;
        try {
            log = opening.take();
        } catch (RuntimeException e) {
            // No file to tell, so the process log says it; the try's error (shown by status) names the cause.
            String error = Secrets.mask(e.getMessage() + (e.getCause() == null ? "" : ": " + e.getCause()));
            LOG.error("Try {} of task {} in run {} of DAG {} failed: {}", tryNumber, label, run.runId(), dag.id(),
                    error);
            report.accept(new TryOutcome.Failed(spec.id(), tryNumber, DagRuntime.now(), error, true));
            return;
        }
        try {
            runLogged(spec, tryNumber, maxTries, inputs, label, log, report);
        } finally {
            log.unbind();
            try {
                log.close();
            } catch (RuntimeException e) {
                LOG.warn("Try {} of task {} in run {} of DAG {}: {}", tryNumber, label, run.runId(), dag.id(),
                        describe(e), e);
            }
        }
    }

    private void runLogged(TaskSpec spec, int tryNumber, int maxTries, Inputs inputs, String label, TryLog log,
            Consumer<TryOutcome> report) {
        AtomicBoolean reported = new AtomicBoolean();
        Thread worker = Thread.currentThread();
        ScheduledFuture<?> timer = null;
        try {
            Optional<Duration> timeout = spec.executionTimeout().or(dag::executionTimeout);
            timer = timeout.map(limit -> runtime.timers.schedule(() -> {
                if (reported.compareAndSet(false, true)) {
                    String error = "execution timeout of " + limit + " exceeded";
                    log.during(() -> TRY_LOG.error("Try {} of task {} failed: {}", tryNumber, label, error));
                    log.flush();
                    report.accept(new TryOutcome.Failed(spec.id(), tryNumber, DagRuntime.now(), error, true));
                    worker.interrupt();
                }
            }, limit.toNanos(), TimeUnit.NANOSECONDS)).orElse(null);
            log.bind();
            if (runtime.stubs.containsKey(spec.id())) {
                TRY_LOG.info("Task {} is stubbed: its value is the test's, the method is not called", label);
            } else {
                TRY_LOG.info("Starting try {} of {} of task {} in run {}", tryNumber, maxTries, label, run.runId());
            }
            TryOutcome outcome = invoke(spec, tryNumber, inputs);
            if (reported.compareAndSet(false, true)) {
                TRY_LOG.info("Task {} succeeded", label);
                log.flush();
                report.accept(outcome);
            }
        } catch (Throwable thrown) {
            Throwable cause = thrown instanceof InvocationTargetException ite && ite.getCause() != null
                    ? ite.getCause() : thrown;
            if (cause instanceof SkipTaskException skip && reported.compareAndSet(false, true)) {
                TRY_LOG.info("Task {} skipped itself: {}", label, Secrets.mask(String.valueOf(skip.getMessage())));
                log.flush();
                report.accept(new TryOutcome.Skipped(spec.id(), tryNumber, DagRuntime.now()));
            } else if (reported.compareAndSet(false, true)) {
                String error = describe(cause);
                boolean retryable = RetryAdvice.allowsRetry(cause);
                if (!retryable) {
                    TRY_LOG.error("Try {} of task {} failed, without retry: {}", tryNumber, label, error);
                } else if (cause instanceof TaskFailure || cause instanceof XComException) {
                    TRY_LOG.error("Try {} of task {} failed: {}", tryNumber, label, error);
                } else {
                    TRY_LOG.error("Try {} of task {} failed", tryNumber, label, cause);
                }
                log.flush();
                report.accept(new TryOutcome.Failed(spec.id(), tryNumber, DagRuntime.now(), error, retryable));
            }
        } finally {
            if (timer != null) {
                timer.cancel(false);
            }
            Thread.interrupted();
        }
    }

    private TryOutcome invoke(TaskSpec spec, int tryNumber, Inputs inputs) throws Exception {
        Object result;
        if (runtime.stubs.containsKey(spec.id())) {
            result = runtime.stubs.get(spec.id());
        } else {
            Object instance = dagInstance();
            Object[] arguments = arguments(spec, tryNumber, inputs);
            spec.method().setAccessible(true);
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            // Libraries that look classes and resources up through the context loader find the DAG bundle's own.
            thread.setContextClassLoader(dag.dagClass().getClassLoader());
            try {
                result = spec.method().invoke(instance, arguments);
            } finally {
                thread.setContextClassLoader(previous);
            }
        }
        Set<String> skip = switch (spec.kind()) {
            case PLAIN -> Set.of();
            case SHORT_CIRCUIT -> shortCircuit(spec, result);
            case BRANCH -> branch(spec, result);
        };
        Optional<String> json = Optional.empty();
        Optional<String> stored = Optional.empty();
        if (spec.returnsValue()) {
            String value = runtime.codec.toJson(spec.id(), result);
            stored = Optional.of(runtime.xcomBackend.store(
                    new XComKey(dag.id(), run.runId(), TaskInstance.label(spec.id(), inputs.mapIndex())), value));
            json = Optional.of(value);
        }
        return new TryOutcome.Succeeded(spec.id(), tryNumber, DagRuntime.now(), json, stored, skip);
    }

    private Set<String> shortCircuit(TaskSpec spec, Object result) {
        if (!(result instanceof Boolean proceed)) {
            throw new TaskFailure("short-circuit task '" + spec.id() + "' returned " + result
                    + " instead of true or false");
        }
        if (proceed) {
            return Set.of();
        }
        Set<String> downstream = DagRuntime.downstreamClosure(dag, Set.of(spec.id()));
        downstream.remove(spec.id());
        return downstream;
    }

    private Set<String> branch(TaskSpec spec, Object result) {
        Set<String> follow = new LinkedHashSet<>();
        if (result instanceof String id) {
            follow.add(id);
        } else if (result instanceof Collection<?> ids) {
            ids.forEach(id -> follow.add(String.valueOf(id)));
        } else if (result != null) {
            throw new TaskFailure("branch task '" + spec.id() + "' returned a " + result.getClass().getName()
                    + " instead of a task id or a collection of task ids");
        }
        Set<String> direct = dag.downstream(spec.id());
        for (String id : follow) {
            if (!direct.contains(id)) {
                throw new TaskFailure("branch task '" + spec.id() + "' returned '" + id
                        + "', which is not directly downstream of it; its direct downstream tasks are " + direct);
            }
        }
        Set<String> skip = new LinkedHashSet<>(direct);
        skip.removeAll(follow);
        return skip;
    }

    private Object[] arguments(TaskSpec spec, int tryNumber, Inputs inputs) {
        Object[] arguments = new Object[spec.arguments().size()];
        for (int i = 0; i < arguments.length; i++) {
            ArgumentSpec argument = spec.arguments().get(i);
            if (argument instanceof ArgumentSpec.Context) {
                arguments[i] = new RuntimeTaskContext(dag.id(), spec.id(), run.runId(), run.logicalDate(),
                        new DataInterval(run.dataIntervalStart(), run.dataIntervalEnd()), tryNumber, params());
            } else if (argument instanceof ArgumentSpec.Params) {
                arguments[i] = params();
            } else if (argument instanceof ArgumentSpec.Expanded expanded) {
                String element = inputs.elementJson().orElseThrow(() -> new TaskFailure("mapped task '"
                        + spec.id() + "' was started without its element of '" + expanded.taskId() + "'"));
                arguments[i] = runtime.codec.fromJson(element, expanded.elementType(), expanded.taskId());
            } else {
                ArgumentSpec.Upstream upstream = (ArgumentSpec.Upstream) argument;
                arguments[i] = upstreamValue(upstream.taskId(), upstream.type(),
                        inputs.upstreamJson().get(upstream.taskId()));
            }
        }
        return arguments;
    }

    /** {@code null} when the upstream did not succeed; discovery refuses a primitive where that can happen. */
    private Object upstreamValue(String upstreamId, Type type, String json) {
        return json == null ? null : runtime.codec.fromJson(json, type, upstreamId);
    }

    synchronized Record params() {
        if (params == null) {
            params = DagRuntime.bindParams(dag, run.params());
        }
        return params;
    }

    /**
     * Closes the hooks made for the run's DAG instance (a Kafka producer, an S3 client) and forgets the instance:
     * a later try or notification of the run makes new ones. Called when the run, or the tries of it this process
     * runs, are over, so that a long-running process does not gather one set of clients per run.
     */
    synchronized void closeHooks() {
        hooks.close();
        dagInstance = null;
    }

    private synchronized Object dagInstance() {
        if (dagInstance == null) {
            dagInstance = DagInjector.instance(runtime.injector(dag), dag.dagClass(), hooks);
        }
        return dagInstance;
    }

    static String describe(Throwable failure) {
        String text = failure instanceof TaskFailure || failure instanceof XComException
                || failure instanceof FailWithoutRetryException ? failure.getMessage() : failure.toString();
        String masked = Secrets.mask(text);
        return masked.length() <= MAX_ERROR_LENGTH ? masked : masked.substring(0, MAX_ERROR_LENGTH) + "...";
    }

    /** A notifier that fails is logged: telling someone must not change how the run or task ended. */
    void notify(List<Class<? extends Notifier>> notifiers, Notification notification) {
        for (Class<? extends Notifier> type : notifiers) {
            try {
                DagInjector.instance(runtime.injector(dag), type, hooks).notify(notification);
            } catch (RuntimeException e) {
                LOG.warn("Notifier {} failed for run {} of DAG {}: {}", type.getName(), run.runId(), dag.id(),
                        Secrets.mask(String.valueOf(e.getMessage())), e);
            }
        }
    }
}
