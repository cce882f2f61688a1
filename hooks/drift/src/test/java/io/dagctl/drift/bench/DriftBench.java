package io.dagctl.drift.bench;

import io.dagctl.drift.Column;
import io.dagctl.drift.ColumnDrift;
import io.dagctl.drift.ColumnMapping;
import io.dagctl.drift.Dataset;
import io.dagctl.drift.DriftDetector;
import io.dagctl.drift.DriftReport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Times {@link DriftDetector#detect} on the data {@code scripts/crosscheck/drift_bench.py} generates (1,000,000
 * reference and 1,000,000 current rows × 10 numerical columns). Run that script first, then:
 *
 * <pre>
 * mvn -B -q -o -pl hooks/drift test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.dagctl.drift.bench.DriftBench -Dexec.args=/tmp/drift_bench.bin
 * </pre>
 */
public final class DriftBench {
    private static final int WARMUPS = 2;
    private static final int REPEATS = 5;

    private DriftBench() {
    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args.length > 0 ? args[0] : "/tmp/drift_bench.bin");
        Map<String, Column> reference = new LinkedHashMap<>();
        Map<String, Column> current = new LinkedHashMap<>();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer header = read(channel, 8);
            int rows = header.getInt();
            int columns = header.getInt();
            for (int c = 0; c < columns; c++) {
                reference.put("x" + c, Column.numbers(readDoubles(channel, rows)));
                current.put("x" + c, Column.numbers(readDoubles(channel, rows)));
            }
        }
        ColumnMapping mapping = ColumnMapping.of(null, List.copyOf(reference.keySet()), List.of());
        Dataset referenceData = Dataset.of(reference);
        Dataset currentData = Dataset.of(current);

        DriftReport report = null;
        for (int k = 0; k < WARMUPS; k++) {
            report = DriftDetector.detect(referenceData, currentData, mapping);
        }
        List<Double> timings = new ArrayList<>();
        for (int k = 0; k < REPEATS; k++) {
            long start = System.nanoTime();
            report = DriftDetector.detect(referenceData, currentData, mapping);
            timings.add((System.nanoTime() - start) / 1e9);
        }
        StringBuilder scores = new StringBuilder();
        for (ColumnDrift column : report.columns()) {
            scores.append(String.format(Locale.ROOT, " %.6g", column.driftScore()));
        }
        double[] sorted = timings.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.println("test " + report.columns().get(0).statTest().displayName() + ", scores" + scores);
        System.out.println("drifted columns " + report.numberOfDriftedColumns() + "/" + report.numberOfColumns());
        System.out.printf(Locale.ROOT, "java: best %.3f s, median %.3f s over %d runs (after %d warm-up runs)%n",
                sorted[0], sorted[sorted.length / 2], REPEATS, WARMUPS);
    }

    private static double[] readDoubles(FileChannel channel, int count) throws IOException {
        double[] values = new double[count];
        read(channel, count * 8L).asDoubleBuffer().get(values);
        return values;
    }

    private static ByteBuffer read(FileChannel channel, long bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(bytes)).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new IOException("DriftBench: file ended before the " + bytes + " bytes its header promises");
            }
        }
        return buffer.flip();
    }
}
