package io.dagctl.drift;

/** The role of a tested column, with Evidently's short name for it. */
public enum ColumnType {
    NUMERICAL("num"),
    CATEGORICAL("cat");

    private final String evidentlyName;

    ColumnType(String evidentlyName) {
        this.evidentlyName = evidentlyName;
    }

    public String evidentlyName() {
        return evidentlyName;
    }
}
