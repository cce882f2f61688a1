package io.dagctl.hooks.s3;

import io.dagctl.Secrets;
import io.dagctl.hooks.s3.internal.MultipartUploadStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Reads and writes objects in S3 or an S3-compatible store through one connection (see {@link S3HookFactory}).
 * Uploads stream: {@link #upload(S3Key, StreamWriter)} never holds more than two parts in memory and leaves nothing
 * under the key when the writer fails.
 */
public final class S3Hook implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(S3Hook.class);

    private final S3Client client;
    private final S3Presigner presigner;
    private final String connectionId;
    private final Optional<String> defaultBucket;
    private final int partSize;
    private final int listPageSize;

    S3Hook(S3Client client, S3Presigner presigner, String connectionId, Optional<String> defaultBucket, int partSize,
            int listPageSize) {
        this.client = client;
        this.presigner = presigner;
        this.connectionId = connectionId;
        this.defaultBucket = defaultBucket;
        this.partSize = partSize;
        this.listPageSize = listPageSize;
    }

    /** The connection's default bucket (the host of its URI), if it names one. */
    public Optional<String> defaultBucket() {
        return defaultBucket;
    }

    /** {@code name} in the connection's default bucket. */
    public S3Key key(String name) {
        return new S3Key(defaultBucket.orElseThrow(() -> new IllegalStateException("connection '" + connectionId
                + "' names no default bucket: give it as the host, s3://key:secret@bucket, or use new S3Key(bucket, key)")),
                name);
    }

    /**
     * Streams an object to {@code key}: the writer writes to a stream that sends each full part (8 MiB by default)
     * as part of a multipart upload while the writer goes on. The object appears only when the writer returns; if
     * it throws, the multipart upload is aborted and its exception rethrown (wrapped in {@link S3HookException}
     * when checked). An object smaller than a part is sent with one PUT.
     *
     * @return the number of bytes uploaded
     */
    public long upload(S3Key key, StreamWriter writer) {
        MultipartUploadStream out = new MultipartUploadStream(client, key.bucket(), key.key(), partSize);
        try {
            writer.writeTo(out);
        } catch (Exception | Error e) {
            abortQuietly(out, key, e);
            if (e instanceof S3Exception s3) {
                throw translate("upload to " + key, key.bucket(), s3);
            }
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e instanceof Error error) {
                throw error;
            }
            throw new S3HookException("upload to " + key + " (connection " + connectionId + ") aborted: "
                    + Secrets.mask(String.valueOf(e.getMessage())), e);
        }
        try {
            out.complete();
        } catch (IOException | RuntimeException e) {
            abortQuietly(out, key, e);
            if (e instanceof SdkException sdk) {
                throw translate("upload to " + key, key.bucket(), sdk);
            }
            throw new S3HookException("upload to " + key + " (connection " + connectionId + ") failed: "
                    + Secrets.mask(String.valueOf(e.getMessage())), e);
        }
        LOG.info("uploaded {} bytes to {}", out.bytesWritten(), key);
        return out.bytesWritten();
    }

    private void abortQuietly(MultipartUploadStream out, S3Key key, Throwable failure) {
        try {
            out.abort();
        } catch (RuntimeException abortFailure) {
            failure.addSuppressed(abortFailure);
            LOG.warn("upload to {} failed and aborting its multipart upload failed too: {}", key,
                    Secrets.mask(abortFailure.getMessage()));
        }
    }

    /**
     * Uploads a local file, as Airflow's {@code load_file}: with {@code replace=false} an existing object under the
     * key is an error and is left untouched.
     */
    public long uploadFile(Path file, S3Key key, boolean replace) {
        if (!Files.isRegularFile(file)) {
            throw new S3HookException("upload to " + key + ": " + file + " is not a readable file");
        }
        if (!replace && exists(key)) {
            throw new S3HookException(key + " already exists (connection " + connectionId
                    + "); pass replace=true to overwrite it");
        }
        return upload(key, out -> Files.copy(file, out));
    }

    /** The object's content, streamed; the caller closes it. */
    public InputStream open(S3Key key) {
        return call("read " + key, key.bucket(), () -> {
            try {
                return client.getObject(b -> b.bucket(key.bucket()).key(key.key()));
            } catch (NoSuchKeyException e) {
                throw new S3HookException(key + " does not exist (connection " + connectionId + ")", e);
            }
        });
    }

    /** Downloads the object to {@code target} through a temporary file, so that no partial file is left. */
    public long download(S3Key key, Path target) {
        Path absolute = target.toAbsolutePath();
        try {
            Files.createDirectories(absolute.getParent());
            Path temporary = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".part");
            try (InputStream in = open(key)) {
                long bytes = Files.copy(in, temporary, StandardCopyOption.REPLACE_EXISTING);
                Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return bytes;
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("download of " + key + " to " + target + " failed: " + e.getMessage(), e);
        }
    }

    /** Whether the object exists; a missing bucket is an error, not {@code false}. */
    public boolean exists(S3Key key) {
        return call("look up " + key, key.bucket(), () -> {
            try {
                client.headObject(b -> b.bucket(key.bucket()).key(key.key()));
                return true;
            } catch (NoSuchKeyException e) {
                requireBucket(key.bucket());
                return false;
            } catch (S3Exception e) {
                // HEAD responses have no body, so a 404 does not say whether the key or the bucket is missing.
                if (e.statusCode() == 404) {
                    requireBucket(key.bucket());
                    return false;
                }
                throw e;
            }
        });
    }

    private void requireBucket(String bucket) {
        if (!bucketExists(bucket)) {
            throw missingBucket(bucket, null);
        }
    }

    /** The keys under {@code prefix} ("" for all), in key order, fetched page by page. */
    public List<S3Key> list(String bucket, String prefix) {
        return call("list s3://" + bucket + "/" + prefix, bucket, () ->
                client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix).maxKeys(listPageSize))
                        .contents().stream()
                        .map(object -> new S3Key(bucket, object.key()))
                        .toList());
    }

    /** The objects under {@code prefix} ("" for all) with their ETags, in key order, fetched page by page. */
    public List<S3Object> listObjects(String bucket, String prefix) {
        return call("list s3://" + bucket + "/" + prefix, bucket, () ->
                client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix).maxKeys(listPageSize))
                        .contents().stream()
                        .map(object -> new S3Object(new S3Key(bucket, object.key()), object.eTag(), object.size()))
                        .toList());
    }

    public void delete(S3Key key) {
        call("delete " + key, key.bucket(), () -> client.deleteObject(b -> b.bucket(key.bucket()).key(key.key())));
    }

    /** A URL anyone can GET the object with until it expires. */
    public URI presignedGet(S3Key key, Duration validFor) {
        String url = presigner.presignGetObject(p -> p.signatureDuration(validFor)
                .getObjectRequest(g -> g.bucket(key.bucket()).key(key.key()))).url().toString();
        try {
            return new URI(url);
        } catch (URISyntaxException e) {
            throw new S3HookException("presigned URL for " + key + " is not a valid URI", e);
        }
    }

    public boolean bucketExists(String bucket) {
        try {
            client.headBucket(b -> b.bucket(bucket));
            return true;
        } catch (NoSuchBucketException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw translate("look up bucket '" + bucket + "'", bucket, e);
        }
    }

    public void createBucketIfMissing(String bucket) {
        if (bucketExists(bucket)) {
            return;
        }
        try {
            client.createBucket(b -> b.bucket(bucket));
            LOG.info("created bucket '{}' (connection {})", bucket, connectionId);
        } catch (BucketAlreadyOwnedByYouException e) {
            // Created meanwhile by another process: what we wanted.
        } catch (SdkException e) {
            throw translate("create bucket '" + bucket + "'", bucket, e);
        }
    }

    private <T> T call(String operation, String bucket, Supplier<T> action) {
        try {
            return action.get();
        } catch (SdkException e) {
            throw translate(operation, bucket, e);
        }
    }

    private void call(String operation, String bucket, Runnable action) {
        call(operation, bucket, () -> {
            action.run();
            return null;
        });
    }

    private RuntimeException translate(String operation, String bucket, SdkException e) {
        if (e instanceof NoSuchBucketException
                || e instanceof S3Exception s3 && s3.awsErrorDetails() != null
                        && "NoSuchBucket".equals(s3.awsErrorDetails().errorCode())) {
            return missingBucket(bucket, e);
        }
        String detail = e instanceof S3Exception s3 && s3.awsErrorDetails() != null
                ? "HTTP " + s3.statusCode() + " " + s3.awsErrorDetails().errorCode() + ": "
                        + s3.awsErrorDetails().errorMessage()
                : e.getMessage();
        return new S3HookException(operation + " failed (connection " + connectionId + "): " + Secrets.mask(detail), e);
    }

    private S3HookException missingBucket(String bucket, Throwable cause) {
        return new S3HookException("bucket '" + bucket + "' does not exist (connection " + connectionId + ")", cause);
    }

    @Override
    public void close() {
        client.close();
        presigner.close();
    }
}
