-- The micro-batches of Kafka records that @OnKafkaRecords DAGs run on. A batch is claimed (its row and its offset
-- ranges, in one transaction) before its run is made; a claim without its run is the scheduler stopping in between,
-- and the next pass makes the run. The primary key of kafka_batch_range makes each partition offset start exactly one
-- batch of a DAG, so two schedulers cutting the same records conflict and one of them rolls back.
-- Written for PostgreSQL and for H2 in MODE=PostgreSQL.
CREATE TABLE kafka_batch (
    dag_id     VARCHAR(250) NOT NULL,
    topic      VARCHAR(249) NOT NULL,
    batch_no   BIGINT       NOT NULL,
    run_id     VARCHAR(250) NOT NULL,
    claimed_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT kafka_batch_pk PRIMARY KEY (dag_id, topic, batch_no)
);

CREATE TABLE kafka_batch_range (
    dag_id       VARCHAR(250) NOT NULL,
    topic        VARCHAR(249) NOT NULL,
    partition_no INTEGER      NOT NULL,
    first_offset BIGINT       NOT NULL,
    last_offset  BIGINT       NOT NULL,
    batch_no     BIGINT       NOT NULL,
    CONSTRAINT kafka_batch_range_pk PRIMARY KEY (dag_id, topic, partition_no, first_offset),
    CONSTRAINT kafka_batch_range_batch_fk FOREIGN KEY (dag_id, topic, batch_no)
        REFERENCES kafka_batch (dag_id, topic, batch_no),
    CONSTRAINT kafka_batch_range_check CHECK (first_offset >= 0 AND last_offset >= first_offset)
);

ALTER TABLE dag_run DROP CONSTRAINT dag_run_type_check;
ALTER TABLE dag_run ADD CONSTRAINT dag_run_type_check CHECK (run_type IN (
    'manual', 'scheduled', 'backfill', 'asset_triggered', 'dag_triggered', 'object_triggered', 'kafka_triggered'));
