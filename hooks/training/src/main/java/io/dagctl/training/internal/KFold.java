package io.dagctl.training.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Unshuffled k-fold splits as scikit-learn's {@code KFold(n_splits=k)}: contiguous test folds
 * in row order, the first {@code rows % k} folds one row larger than {@code rows / k}.
 */
public final class KFold {
    /** Test rows {@code [testStart, testEnd)}; every other row trains. */
    public record Fold(int testStart, int testEnd) {
        public boolean isTestRow(int row) {
            return row >= testStart && row < testEnd;
        }

        public int testRows() {
            return testEnd - testStart;
        }
    }

    private KFold() {
    }

    public static List<Fold> split(int rows, int folds) {
        if (folds < 2 || rows < folds) {
            throw new IllegalArgumentException("KFold.split: need at least 2 folds and no more folds than rows, got "
                    + folds + " folds for " + rows + " rows");
        }
        List<Fold> result = new ArrayList<>(folds);
        int start = 0;
        for (int fold = 0; fold < folds; fold++) {
            int size = rows / folds + (fold < rows % folds ? 1 : 0);
            result.add(new Fold(start, start + size));
            start += size;
        }
        return List.copyOf(result);
    }
}
