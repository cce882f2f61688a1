-- Runs created by triggers and backfills say so, as Airflow's run types do, instead of passing for manual or
-- scheduled runs. Written for PostgreSQL and for H2 in MODE=PostgreSQL.
ALTER TABLE dag_run DROP CONSTRAINT dag_run_type_check;
ALTER TABLE dag_run ADD CONSTRAINT dag_run_type_check CHECK (run_type IN (
    'manual', 'scheduled', 'backfill', 'asset_triggered', 'dag_triggered', 'object_triggered'));
