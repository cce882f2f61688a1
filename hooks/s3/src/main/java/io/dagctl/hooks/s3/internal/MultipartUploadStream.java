package io.dagctl.hooks.s3.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * The stream an upload's writer writes to. Bytes collect in a part-sized buffer; each full buffer is sent as one
 * part of a multipart upload by a background thread while the writer fills the other buffer, so at most two parts
 * are held in memory. Nothing becomes visible under the key until {@link #complete()}; {@link #abort()} discards the
 * parts already sent. An object smaller than one part is sent with a single PUT by {@link #complete()}.
 */
public final class MultipartUploadStream extends OutputStream {
    private static final int INITIAL_BUFFER = 64 * 1024;

    private final S3Client client;
    private final String bucket;
    private final String key;
    private final int partSize;
    private final List<CompletedPart> parts = new ArrayList<>();

    private ExecutorService sender;
    private Future<CompletedPart> inFlight;
    private byte[] spare;
    private byte[] buffer = new byte[INITIAL_BUFFER];
    private int filled;
    private long written;
    private String uploadId;
    private int buffersAllocated = 1;
    private boolean closed;

    public MultipartUploadStream(S3Client client, String bucket, String key, int partSize) {
        this.client = client;
        this.bucket = bucket;
        this.key = key;
        this.partSize = partSize;
    }

    @Override
    public void write(int b) throws IOException {
        ensureOpen();
        if (filled == buffer.length) {
            makeRoom();
        }
        buffer[filled++] = (byte) b;
        written++;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        ensureOpen();
        Objects.checkFromIndexSize(offset, length, bytes.length);
        while (length > 0) {
            if (filled == buffer.length) {
                makeRoom();
            }
            int chunk = Math.min(length, buffer.length - filled);
            System.arraycopy(bytes, offset, buffer, filled, chunk);
            filled += chunk;
            written += chunk;
            offset += chunk;
            length -= chunk;
        }
    }

    /** Marks the stream closed; the upload completes only through {@link #complete()}. */
    @Override
    public void close() {
        closed = true;
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("upload stream for s3://" + bucket + "/" + key + " is closed");
        }
    }

    /** Grows the buffer up to a part, or hands a full part to the sender. */
    private void makeRoom() throws IOException {
        if (buffer.length < partSize) {
            buffer = Arrays.copyOf(buffer, Math.min(partSize, buffer.length * 2));
            return;
        }
        sendPart();
    }

    private void sendPart() throws IOException {
        if (uploadId == null) {
            uploadId = client.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
            sender = Executors.newSingleThreadExecutor(runnable -> {
                Thread thread = new Thread(runnable, "s3-upload " + bucket + "/" + key);
                thread.setDaemon(true);
                return thread;
            });
        }
        awaitInFlight();
        byte[] part = buffer;
        int length = filled;
        int partNumber = parts.size() + 1;
        inFlight = sender.submit(() -> {
            String eTag = client.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber)
                            .contentLength((long) length),
                    RequestBody.fromContentProvider(new ByteArrayContent(part, length), length,
                            "application/octet-stream")).eTag();
            return CompletedPart.builder().partNumber(partNumber).eTag(eTag).build();
        });
        if (spare == null) {
            spare = new byte[partSize];
            buffersAllocated++;
        }
        buffer = spare;
        spare = part;
        filled = 0;
    }

    /** Waits for the part being sent, so that its buffer can be reused; rethrows its failure. */
    private void awaitInFlight() throws IOException {
        if (inFlight == null) {
            return;
        }
        try {
            parts.add(inFlight.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while uploading s3://" + bucket + "/" + key, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException("part " + (parts.size() + 1) + " of s3://" + bucket + "/" + key + " failed", cause);
        } finally {
            inFlight = null;
        }
    }

    /** Sends what is left and makes the object visible under its key. */
    public void complete() throws IOException {
        closed = true;
        if (uploadId == null) {
            byte[] content = buffer;
            int length = filled;
            client.putObject(b -> b.bucket(bucket).key(key).contentLength((long) length),
                    RequestBody.fromContentProvider(new ByteArrayContent(content, length), length,
                            "application/octet-stream"));
            return;
        }
        if (filled > 0) {
            sendPart();
        }
        awaitInFlight();
        sender.shutdown();
        client.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(parts)));
    }

    /** Discards the parts sent so far; nothing appears under the key. */
    public void abort() {
        closed = true;
        if (uploadId == null) {
            return;
        }
        if (inFlight != null) {
            try {
                inFlight.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                // The part failed: it is being discarded anyway.
            }
            inFlight = null;
        }
        sender.shutdown();
        client.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
    }

    public long bytesWritten() {
        return written;
    }

    /** How many part buffers this stream has held at once: memory in use is at most this times the part size. */
    public int buffersAllocated() {
        return buffersAllocated;
    }

    /** Lets the SDK re-read a part when it retries, without copying it. */
    private record ByteArrayContent(byte[] bytes, int length) implements ContentStreamProvider {
        @Override
        public InputStream newStream() {
            return new ByteArrayInputStream(bytes, 0, length);
        }
    }
}
