package io.dagctl.hooks.s3;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * An object in S3: {@code s3://bucket/key}. Serialized to JSON as that string; read back from the string or from
 * {@code {"bucket": ..., "key": ...}}.
 */
public record S3Key(String bucket, String key) {

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    public S3Key(@JsonProperty("bucket") String bucket, @JsonProperty("key") String key) {
        if (bucket == null || bucket.isBlank() || bucket.contains("/")) {
            throw new IllegalArgumentException("S3 key: bucket '" + bucket + "' is not a bucket name");
        }
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("S3 key: no object key given for bucket '" + bucket + "'");
        }
        this.bucket = bucket;
        this.key = key;
    }

    /** {@code s3://bucket/some/key} → (bucket, some/key). */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static S3Key parse(String uri) {
        String prefix = "s3://";
        int slash = uri.startsWith(prefix) ? uri.indexOf('/', prefix.length()) : -1;
        if (slash <= prefix.length() || slash == uri.length() - 1) {
            throw new IllegalArgumentException("'" + uri + "' is not an S3 object URI: expected s3://bucket/key");
        }
        return new S3Key(uri.substring(prefix.length(), slash), uri.substring(slash + 1));
    }

    /** Another object in the same bucket. */
    public S3Key withKey(String otherKey) {
        return new S3Key(bucket, otherKey);
    }

    @JsonValue
    @Override
    public String toString() {
        return "s3://" + bucket + "/" + key;
    }
}
