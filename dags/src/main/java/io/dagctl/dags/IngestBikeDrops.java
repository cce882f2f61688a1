package io.dagctl.dags;

import io.dagctl.Connection;
import io.dagctl.Dag;
import io.dagctl.OnNewObjects;
import io.dagctl.Param;
import io.dagctl.Task;
import io.dagctl.TaskContext;
import io.dagctl.Updates;
import io.dagctl.drift.CheckedWindow;
import io.dagctl.hooks.postgres.CsvOptions;
import io.dagctl.hooks.postgres.PostgresHook;
import io.dagctl.hooks.s3.S3Hook;
import io.dagctl.hooks.s3.S3Key;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;

/**
 * The data-lake pattern: each daily bike-sharing CSV dropped under {@code s3://bike-drops/incoming/} is checked and
 * loaded into {@code ingested_rides}, tagged with the file it came from. Loading a file again (a rewritten object
 * gets a new ETag, hence a new run) replaces its rows in one transaction, so the table never holds a file twice.
 */
@Dag(id = "ingest_bike_drops", params = IngestBikeDrops.Drop.class, maxActiveRuns = 4,
        tags = {"bike-sharing", "ingestion"}, description = "Loads bike-sharing CSVs dropped in S3 into PostgreSQL")
@OnNewObjects(bucket = IngestBikeDrops.BUCKET, prefix = IngestBikeDrops.PREFIX, every = "PT1M")
public final class IngestBikeDrops {
    static final String BUCKET = "bike-drops";
    static final String PREFIX = "incoming/";
    static final String TABLE = "ingested_rides";

    private final PostgresHook bikes;
    private final S3Hook s3;

    @Inject
    public IngestBikeDrops(@Connection("bike_db") PostgresHook bikes, S3Hook s3) {
        this.bikes = bikes;
        this.s3 = s3;
    }

    /** The object that appeared: its key in {@value #BUCKET} and the ETag of the version to load. */
    public record Drop(
            @Param(description = "Key of the CSV in " + BUCKET) String key,
            @Param(defaultValue = "", description = "ETag of the version loaded") String etag) {
    }

    /** A dropped file after checking: the checked copy and how many rows it has. */
    public record CheckedFile(S3Key csv, String source, int rows) {
    }

    /** Checks every row of the file (the same checks as detect_data_drift) into a copy with the known columns. */
    @Task
    public CheckedFile checkFile(TaskContext context, Drop drop) throws IOException {
        S3Key dropped = new S3Key(BUCKET, drop.key());
        S3Key checked = s3.key(context.runId() + "/checked.csv");
        CheckedWindow rows;
        try (InputStream csv = s3.open(dropped)) {
            rows = BikeRides.readChecked(bikes, csv, dropped.toString(), LocalDate.MIN, LocalDate.MAX);
        }
        if (rows.size() == 0) {
            throw new IllegalArgumentException("CSV " + dropped + " has no rows");
        }
        s3.upload(checked, rows::writeCsv);
        context.log().info("{} rows checked in {} (ETag {})", rows.size(), dropped, drop.etag());
        return new CheckedFile(checked, dropped.toString(), rows.size());
    }

    /** Replaces the file's rows: delete by source file, then COPY, in one transaction held per file. */
    @Task(retries = 2, retryDelay = "PT10S")
    @Updates("postgres://bike_db/ingested_rides")
    public long loadFile(TaskContext context, Drop drop, CheckedFile file) throws IOException {
        long loaded = bikes.inTransaction(handle -> {
            // two versions of one file loading at once would both delete before either inserts
            handle.createQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtext(:source))) AS locked")
                    .bind("source", file.source()).mapTo(Integer.class).one();
            handle.execute("CREATE TABLE IF NOT EXISTS " + TABLE
                    + " (LIKE current, source_file TEXT NOT NULL, source_etag TEXT NOT NULL)");
            int replaced = handle.createUpdate("DELETE FROM " + TABLE + " WHERE source_file = :source")
                    .bind("source", file.source()).execute();
            if (replaced > 0) {
                context.log().info("replacing {} rows loaded earlier from {}", replaced, file.source());
            }
            handle.execute("CREATE TEMPORARY TABLE incoming_rides (LIKE current) ON COMMIT DROP");
            try (InputStream csv = s3.open(file.csv())) {
                bikes.copyIn(handle, "incoming_rides", csv, CsvOptions.defaults().withColumns(
                        BikeRides.COLUMNS.toArray(String[]::new)));
            }
            return (long) handle.createUpdate("INSERT INTO " + TABLE + " SELECT i.*, :source, :etag"
                            + " FROM incoming_rides i")
                    .bind("source", file.source()).bind("etag", drop.etag()).execute();
        });
        context.log().info("loaded {} rows from {}", loaded, file.source());
        return loaded;
    }
}
