package io.dagctl.drift;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which columns take part in drift detection and how: an optional datetime column (never tested), numerical
 * and categorical columns, in the order they are reported.
 */
public record ColumnMapping(Optional<String> datetime, List<String> numerical, List<String> categorical) {

    public ColumnMapping {
        Objects.requireNonNull(datetime, "datetime");
        numerical = List.copyOf(numerical);
        categorical = List.copyOf(categorical);
        List<String> seen = new ArrayList<>();
        datetime.ifPresent(seen::add);
        for (String name : concat(numerical, categorical)) {
            if (seen.contains(name)) {
                throw new IllegalArgumentException("ColumnMapping: column '" + name + "' is mapped twice");
            }
            seen.add(name);
        }
    }

    public static ColumnMapping of(String datetime, List<String> numerical, List<String> categorical) {
        return new ColumnMapping(Optional.ofNullable(datetime), numerical, categorical);
    }

    /** Every column the mapping names, datetime first. */
    public List<String> allColumns() {
        List<String> all = new ArrayList<>();
        datetime.ifPresent(all::add);
        all.addAll(numerical);
        all.addAll(categorical);
        return all;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
