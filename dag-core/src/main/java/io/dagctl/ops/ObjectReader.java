package io.dagctl.ops;

import java.io.IOException;
import java.io.OutputStream;

/** Copies an object of the object store (the one XCom values name, as {@code s3://bucket/key}) to a stream. */
@FunctionalInterface
public interface ObjectReader {
    /** For faces with no object store: every object is missing. */
    ObjectReader NONE = (bucket, key, out) -> {
        throw OperationException.notFound("no object store is configured to read s3://" + bucket + "/" + key);
    };

    void copy(String bucket, String key, OutputStream out) throws IOException;
}
