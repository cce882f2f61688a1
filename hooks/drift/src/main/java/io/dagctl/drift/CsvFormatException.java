package io.dagctl.drift;

/** A CSV file that cannot be read as the dataset its column mapping describes; the message names where and why. */
public final class CsvFormatException extends RuntimeException {
    public CsvFormatException(String message) {
        super(message);
    }

    public CsvFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
