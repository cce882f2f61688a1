-- The metadata of DAG runs: runs, their task instances and the values tasks pass to each other.
-- Written for PostgreSQL and for H2 in MODE=PostgreSQL; instants are TIMESTAMP WITH TIME ZONE.

CREATE TABLE dag_run (
    dag_id              VARCHAR(250) NOT NULL,
    run_id              VARCHAR(250) NOT NULL,
    state               VARCHAR(20)  NOT NULL,
    run_type            VARCHAR(20)  NOT NULL,
    logical_date        TIMESTAMP WITH TIME ZONE NOT NULL,
    data_interval_start TIMESTAMP WITH TIME ZONE NOT NULL,
    data_interval_end   TIMESTAMP WITH TIME ZONE NOT NULL,
    -- The run's params as a JSON object of their text values, defaults filled in.
    params              VARCHAR      NOT NULL,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    started_at          TIMESTAMP WITH TIME ZONE,
    ended_at            TIMESTAMP WITH TIME ZONE,
    -- The process executing the run (host:pid:instance) and when it last said so; a resume takes over
    -- runs whose owner is gone.
    owner               VARCHAR(250),
    heartbeat_at        TIMESTAMP WITH TIME ZONE,
    CONSTRAINT dag_run_pk PRIMARY KEY (dag_id, run_id),
    CONSTRAINT dag_run_state_check CHECK (state IN ('queued', 'running', 'success', 'failed')),
    CONSTRAINT dag_run_type_check CHECK (run_type IN ('manual', 'scheduled'))
);

CREATE INDEX dag_run_by_logical_date ON dag_run (dag_id, logical_date);
CREATE INDEX dag_run_by_state ON dag_run (state);

CREATE TABLE task_instance (
    dag_id      VARCHAR(250) NOT NULL,
    run_id      VARCHAR(250) NOT NULL,
    task_id     VARCHAR(250) NOT NULL,
    map_index   INTEGER      NOT NULL DEFAULT -1,
    state       VARCHAR(20)  NOT NULL,
    -- The number of the latest try; 0 before the first.
    try_number  INTEGER      NOT NULL DEFAULT 0,
    max_tries   INTEGER      NOT NULL,
    start_date  TIMESTAMP WITH TIME ZONE,
    end_date    TIMESTAMP WITH TIME ZONE,
    -- Seconds, as Airflow reports it.
    duration    DOUBLE PRECISION,
    -- The failure of the latest try, secrets masked.
    error       VARCHAR,
    next_try_at TIMESTAMP WITH TIME ZONE,
    hostname    VARCHAR(250),
    pid         INTEGER,
    CONSTRAINT task_instance_pk PRIMARY KEY (dag_id, run_id, task_id, map_index),
    CONSTRAINT task_instance_run_fk FOREIGN KEY (dag_id, run_id) REFERENCES dag_run (dag_id, run_id) ON DELETE CASCADE,
    CONSTRAINT task_instance_state_check CHECK (state IN (
        'none', 'scheduled', 'running', 'success', 'failed', 'up_for_retry', 'upstream_failed', 'skipped'))
);

CREATE INDEX task_instance_by_state ON task_instance (state);

CREATE TABLE xcom (
    dag_id     VARCHAR(250) NOT NULL,
    run_id     VARCHAR(250) NOT NULL,
    task_id    VARCHAR(250) NOT NULL,
    map_index  INTEGER      NOT NULL DEFAULT -1,
    -- "key" and "value" are keywords in H2, hence the prefixes.
    xcom_key   VARCHAR(512) NOT NULL DEFAULT 'return_value',
    -- The JSON value, or what the XCom backend stored in its place (a reference to an object).
    xcom_value VARCHAR      NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT xcom_pk PRIMARY KEY (dag_id, run_id, task_id, map_index, xcom_key),
    CONSTRAINT xcom_task_instance_fk FOREIGN KEY (dag_id, run_id, task_id, map_index)
        REFERENCES task_instance (dag_id, run_id, task_id, map_index) ON DELETE CASCADE
);
