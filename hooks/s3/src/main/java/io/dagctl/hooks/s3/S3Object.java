package io.dagctl.hooks.s3;

/** An object as a listing shows it: where it is, its ETag (which changes when it is rewritten) and its size. */
public record S3Object(S3Key key, String eTag, long size) {
}
