package io.dagctl.hooks.s3;

import java.io.OutputStream;

/** Writes an object's content; see {@link S3Hook#upload(S3Key, StreamWriter)}. */
@FunctionalInterface
public interface StreamWriter {
    void writeTo(OutputStream out) throws Exception;
}
