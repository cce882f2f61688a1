package io.dagctl.internal.xcom;

/**
 * Where XCom values live. The metadata database keeps what {@link #store} returns in the task instance's row: the
 * JSON itself for the database backend, a reference for a backend that spills large values to an object store.
 */
public interface XComBackend {
    /** What to keep in the task instance's row for the JSON a task returned; may refuse with {@link XComException}. */
    String store(XComKey key, String json);

    /** The JSON back from what {@link #store} returned. */
    String load(XComKey key, String stored);

    /** Deletes what {@link #store} put outside the metadata database, when its run is deleted. */
    default void delete(XComKey key, String stored) {
    }
}
