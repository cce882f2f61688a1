package io.dagctl.internal.schedule;

import io.dagctl.spec.Triggers.NewObjectsTrigger;
import java.util.List;

/**
 * Lists the objects under a watched prefix. dag-core knows no object store; the CLI supplies one backed by the S3
 * hook.
 */
public interface ObjectSource {
    /** The objects under {@code trigger}'s bucket and prefix, now. */
    List<StoredObject> list(NewObjectsTrigger trigger);

    /** An object: its key and ETag (its version: a rewritten object is a new one). */
    record StoredObject(String key, String etag) {
    }

    /** For schedulers that watch no prefix. */
    ObjectSource NONE = trigger -> {
        throw new IllegalStateException("no object store is configured to list s3://" + trigger.bucket() + "/"
                + trigger.prefix());
    };
}
