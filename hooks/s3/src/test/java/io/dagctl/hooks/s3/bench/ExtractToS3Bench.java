package io.dagctl.hooks.s3.bench;

import io.dagctl.ConnectionUri;
import io.dagctl.embedded.LocalPostgres;
import io.dagctl.embedded.LocalS3;
import io.dagctl.hooks.postgres.PostgresHook;
import io.dagctl.hooks.postgres.PostgresHookFactory;
import io.dagctl.hooks.s3.S3Hook;
import io.dagctl.hooks.s3.S3HookFactory;
import io.dagctl.hooks.s3.S3Key;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Copies a generated query result (10 columns) from embedded PostgreSQL to the local S3 server through
 * {@code PostgresHook.copyOut} feeding {@code S3Hook.upload}, and compares the rate with the same COPY into a null
 * sink, alternating the two in one run. Arguments: rows (default 1000000), rounds (default 3).
 */
public final class ExtractToS3Bench {
    private static final String QUERY = """
            SELECT g AS ride_id, g %% 50000 AS user_id, (g * 7) %% 1000 AS station_id,
                   timestamp '2011-01-01' + g * interval '1 second' AS started_at,
                   (g %% 3600) + 60 AS duration_s, round((g %% 997) / 10.0, 1) AS distance_km,
                   (g %% 97) * 0.73 AS fare, 'station-' || (g %% 500) AS station_name,
                   CASE WHEN g %% 2 = 0 THEN 'member' ELSE 'casual' END AS rider_type, g %% 5 = 0 AS returned_late
            FROM generate_series(1, %d) AS g""";

    private ExtractToS3Bench() {
    }

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        String query = QUERY.formatted(rows);
        try (LocalPostgres postgres = LocalPostgres.startEphemeral(); LocalS3 s3Server = LocalS3.startEphemeral()) {
            PostgresHook db = new PostgresHookFactory().create(ConnectionUri.parse("bench_db", postgres.connectionUri()));
            S3Hook s3 = new S3HookFactory().create(ConnectionUri.parse("bench_s3", s3Server.connectionUri("bench")));
            List<Double> bare = new ArrayList<>();
            List<Double> toS3 = new ArrayList<>();
            long bytes = 0;
            // One unmeasured round of each warms the JIT and Postgres' caches.
            for (int round = 0; round <= rounds; round++) {
                CountingSink sink = new CountingSink();
                long start = System.nanoTime();
                db.copyOut(query, sink);
                double bareSeconds = (System.nanoTime() - start) / 1e9;

                S3Key key = s3.key("extract-" + round + ".csv");
                start = System.nanoTime();
                long uploaded = s3.upload(key, out -> db.copyOut(query, out));
                double s3Seconds = (System.nanoTime() - start) / 1e9;
                s3.delete(key);
                if (uploaded != sink.count) {
                    throw new IllegalStateException("uploaded " + uploaded + " bytes but COPY produced " + sink.count);
                }
                bytes = sink.count;
                if (round > 0) {
                    bare.add(bytes / 1e6 / bareSeconds);
                    toS3.add(bytes / 1e6 / s3Seconds);
                }
                System.out.printf("round %d: COPY to null %.2f s, COPY to S3 %.2f s%n", round, bareSeconds, s3Seconds);
            }
            System.out.printf("%,d rows, %.1f MB, heap max %d MiB, %d rounds%n", rows, bytes / 1e6,
                    Runtime.getRuntime().maxMemory() >> 20, rounds);
            System.out.printf("COPY TO STDOUT into a null sink: median %.1f MB/s, best %.1f MB/s%n", median(bare),
                    Collections.max(bare));
            System.out.printf("copyOut -> S3Hook.upload:        median %.1f MB/s, best %.1f MB/s (%.0f%% of bare)%n",
                    median(toS3), Collections.max(toS3), 100 * median(toS3) / median(bare));
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static final class CountingSink extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
