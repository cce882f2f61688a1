package io.dagctl.internal.runtime;

import io.dagctl.internal.store.MetadataStore;
import io.dagctl.internal.store.WorkQueue;
import io.dagctl.spec.DagSpec;
import io.dagctl.spec.TaskSpec;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code maxActiveTasks} and pools for the runs this process executes itself: tries are counted here, across its
 * runs, and pool sizes are read from the database at most once a second ({@code dagctl pools set} takes effect
 * within that second). Workers count the same limits in the database instead.
 */
final class LocalLimits {
    private static final Logger LOG = LoggerFactory.getLogger(LocalLimits.class);
    private static final long POOLS_READ_EVERY_NANOS = Duration.ofSeconds(1).toNanos();

    private final MetadataStore store;
    private final Map<String, Integer> activeByDag = new HashMap<>();
    private final Map<String, Integer> heldByPool = new HashMap<>();
    private final Set<String> warnedPools = new HashSet<>();
    private Map<String, Integer> poolSlots = Map.of();
    private long poolsReadAt;
    private boolean poolsRead;

    LocalLimits(MetadataStore store) {
        this.store = store;
    }

    /** Takes a place for a try of {@code task}, unless its DAG is at {@code maxActiveTasks} or its pool is full. */
    synchronized boolean tryAcquire(DagSpec dag, TaskSpec task) {
        if (activeByDag.getOrDefault(dag.id(), 0) >= dag.maxActiveTasks()) {
            return false;
        }
        String pool = task.pool();
        Integer slots = poolSlots().get(pool);
        if (slots == null && !pool.equals(TaskSpec.DEFAULT_POOL)) {
            if (warnedPools.add(pool)) {
                LOG.warn("Task {} of DAG {} waits for pool '{}', which is not defined: define it with dagctl pools"
                        + " set {} SLOTS", task.id(), dag.id(), pool, pool);
            }
            return false;
        }
        int held = heldByPool.getOrDefault(pool, 0);
        if (slots != null && held + task.poolSlots() > slots) {
            return false;
        }
        activeByDag.merge(dag.id(), 1, Integer::sum);
        heldByPool.merge(pool, task.poolSlots(), Integer::sum);
        return true;
    }

    synchronized void release(DagSpec dag, TaskSpec task) {
        activeByDag.merge(dag.id(), -1, Integer::sum);
        heldByPool.merge(task.pool(), -task.poolSlots(), Integer::sum);
    }

    /**
     * Reads the pools' sizes in {@code tx} if claims would read them now: before claims made inside that transaction
     * (a run created started), which must not open a second connection while that transaction holds one: on an H2
     * file shared by processes, a read retried inside it while another process took the file over failed for 20 s.
     */
    synchronized void readPoolsIfDue(MetadataStore.Transaction tx) {
        if (poolsDue()) {
            readPools(WorkQueue.pools(tx));
        }
    }

    private Map<String, Integer> poolSlots() {
        if (poolsDue()) {
            readPools(WorkQueue.pools(store));
        }
        return poolSlots;
    }

    private boolean poolsDue() {
        return !poolsRead || System.nanoTime() - poolsReadAt > POOLS_READ_EVERY_NANOS;
    }

    private void readPools(List<WorkQueue.Pool> pools) {
        Map<String, Integer> read = new HashMap<>();
        pools.forEach(p -> read.put(p.name(), p.slots()));
        poolSlots = read;
        poolsReadAt = System.nanoTime();
        poolsRead = true;
    }
}
