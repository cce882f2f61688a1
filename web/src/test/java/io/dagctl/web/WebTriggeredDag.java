package io.dagctl.web;

import io.dagctl.Dag;
import io.dagctl.Task;
import io.dagctl.TriggeredBy;

/** A DAG run after each successful web_fixture run, for the next run and tag filter the DAG list shows. */
@Dag(id = "web_triggered", description = "Follows web_fixture", tags = "events")
@TriggeredBy(dag = "web_fixture")
public final class WebTriggeredDag {
    @Task
    public int follow() {
        return 1;
    }
}
