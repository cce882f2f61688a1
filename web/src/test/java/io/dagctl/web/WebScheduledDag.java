package io.dagctl.web;

import io.dagctl.Dag;
import io.dagctl.Task;

/** A DAG on a daily schedule, for the next run times the DAG page and the API show. */
@Dag(id = "web_scheduled", schedule = "0 6 * * *", description = "Every day at 06:00 UTC")
public final class WebScheduledDag {
    @Task
    public int tick() {
        return 1;
    }
}
