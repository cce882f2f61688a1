-- The index on (dag_id, run_id, state) shares its leading columns with the primary key, and PostgreSQL, before it has
-- statistics for a run just inserted, picks it for statements that name an instance by its full key: each such
-- update then reads every instance of the run (10,000 for a wide fan-out), as many times as instances are updated.
-- With state first, only statements that name the state use it (whether a run has unfinished instances), and
-- those that name an instance use the primary key. Written for PostgreSQL and for H2 in MODE=PostgreSQL.
DROP INDEX task_instance_by_run_state;
CREATE INDEX task_instance_by_state_run ON task_instance (state, dag_id, run_id);
