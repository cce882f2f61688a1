package io.dagctl.web;

import io.dagctl.Dag;
import io.dagctl.Task;

/** A DAG with a cron that cannot be: it fails to load, and the other DAGs work without it. */
@Dag(id = "web_broken", schedule = "61 * * * *")
public final class WebBrokenDag {
    @Task
    public int never() {
        return 0;
    }
}
