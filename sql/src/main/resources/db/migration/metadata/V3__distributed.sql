-- Distributed execution: worker processes take queued task instances, say they are alive while running them,
-- and respect per-DAG limits and named pools. Written for PostgreSQL and for H2 in MODE=PostgreSQL.

-- queued: handed to an executor, waiting for a worker.
ALTER TABLE task_instance DROP CONSTRAINT task_instance_state_check;
ALTER TABLE task_instance ADD CONSTRAINT task_instance_state_check CHECK (state IN (
    'none', 'scheduled', 'queued', 'running', 'success', 'failed', 'up_for_retry', 'upstream_failed', 'skipped'));

-- The pool a try holds slots of while queued or running, copied from the task's definition when the run is created,
-- so that any process can count them without the DAG's classes.
ALTER TABLE task_instance ADD COLUMN pool VARCHAR(250) NOT NULL DEFAULT 'default_pool';
ALTER TABLE task_instance ADD COLUMN pool_slots INTEGER NOT NULL DEFAULT 1;
ALTER TABLE task_instance ADD COLUMN queued_at TIMESTAMP WITH TIME ZONE;
-- The worker (host:pid:instance) running the current try and the last time it said so; a try whose worker stopped
-- saying so for longer than the zombie timeout is failed and retried elsewhere.
ALTER TABLE task_instance ADD COLUMN worker VARCHAR(250);
ALTER TABLE task_instance ADD COLUMN heartbeat_at TIMESTAMP WITH TIME ZONE;

CREATE INDEX task_instance_by_run_state ON task_instance (dag_id, run_id, state);
CREATE INDEX task_instance_by_state_queued_at ON task_instance (state, queued_at);

-- local: one process executes the run (dagctl trigger); workers: dagctl worker processes share it.
ALTER TABLE dag_run ADD COLUMN executor VARCHAR(20) NOT NULL DEFAULT 'local';
ALTER TABLE dag_run ADD CONSTRAINT dag_run_executor_check CHECK (executor IN ('local', 'workers'));
-- The DAG's limits when the run was created: a worker of another version of the DAG still counts them the same.
ALTER TABLE dag_run ADD COLUMN max_active_runs INTEGER NOT NULL DEFAULT 16;
ALTER TABLE dag_run ADD COLUMN max_active_tasks INTEGER NOT NULL DEFAULT 16;

CREATE INDEX dag_run_by_executor_state ON dag_run (executor, state);

-- Named pools: at most "slots" slots of a pool are held by queued and running tries at once. default_pool is
-- unlimited until defined here.
CREATE TABLE pool (
    name        VARCHAR(250) NOT NULL,
    slots       INTEGER      NOT NULL,
    description VARCHAR(1000) NOT NULL DEFAULT '',
    CONSTRAINT pool_pk PRIMARY KEY (name),
    CONSTRAINT pool_slots_check CHECK (slots >= 0)
);
