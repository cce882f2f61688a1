-- The scheduler and the workers ask, for each queued batch run of an in-order Kafka DAG, whether the batch before it
-- has succeeded; they find the run's batch by its run id. Without this index that lookup read every batch of the
-- DAG, so its cost grew with each batch cut. Written for PostgreSQL and for H2 in MODE=PostgreSQL.
CREATE INDEX kafka_batch_by_run ON kafka_batch (dag_id, run_id);
