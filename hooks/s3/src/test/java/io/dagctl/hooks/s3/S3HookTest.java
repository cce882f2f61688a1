package io.dagctl.hooks.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.dagctl.ConnectionUri;
import io.dagctl.RetryAdvice;
import io.dagctl.embedded.LocalS3;
import io.dagctl.embedded.testing.SharedLocalS3;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

class S3HookTest {
    private static final String BUCKET = "hook-test";
    private static final int MIB = 1024 * 1024;

    private static LocalS3 server;
    private static S3Hook s3;
    private static S3Client raw;

    @BeforeAll
    static void connect() {
        server = SharedLocalS3.instance();
        s3 = hook(server.connectionUri(BUCKET) + "&part_size_mib=5", 1000);
        raw = S3Client.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(server.accessKey(), server.secretKey())))
                .build();
    }

    @AfterAll
    static void disconnect() {
        s3.close();
        raw.close();
    }

    private static S3Hook hook(String uri, int listPageSize) {
        return new S3HookFactory().create(ConnectionUri.parse("s3_default", uri), listPageSize);
    }

    private static S3Key freshKey(String name) {
        return s3.key(UUID.randomUUID() + "/" + name);
    }

    private static String read(S3Key key) throws IOException {
        try (InputStream in = s3.open(key)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void writeRandom(OutputStream out, long bytes, long seed, MessageDigest digest) throws IOException {
        Random random = new Random(seed);
        byte[] chunk = new byte[64 * 1024 + 7];
        for (long left = bytes; left > 0; left -= chunk.length) {
            random.nextBytes(chunk);
            int length = (int) Math.min(chunk.length, left);
            digest.update(chunk, 0, length);
            out.write(chunk, 0, length);
        }
    }

    @Test
    void uploadsASmallObjectAndReadsItBack() throws IOException {
        S3Key key = freshKey("small.csv");

        long bytes = s3.upload(key, out -> out.write("id,name\n1,bike\n".getBytes(StandardCharsets.UTF_8)));

        assertThat(bytes).isEqualTo(15);
        assertThat(read(key)).isEqualTo("id,name\n1,bike\n");
        assertThat(s3.exists(key)).isTrue();
    }

    @Test
    void uploadsAnObjectLargerThanAPartAsAMultipartUpload() throws Exception {
        S3Key key = freshKey("large.bin");
        MessageDigest sent = MessageDigest.getInstance("SHA-256");

        long bytes = s3.upload(key, out -> writeRandom(out, 17L * MIB + 3, 42, sent));

        assertThat(bytes).isEqualTo(17L * MIB + 3);
        MessageDigest received = MessageDigest.getInstance("SHA-256");
        try (InputStream in = s3.open(key)) {
            received.update(in.readAllBytes());
        }
        assertThat(received.digest()).isEqualTo(sent.digest());
        // Four parts of 5 MiB: 5 + 5 + 5 + 2.
        assertThat(raw.headObject(b -> b.bucket(BUCKET).key(key.key())).eTag()).endsWith("-4\"");
    }

    @Test
    void aWriterThatThrowsMidwayLeavesNoObjectAndNoPendingMultipartUpload() {
        S3Key key = freshKey("broken.bin");
        IllegalStateException failure = new IllegalStateException("source query failed after 12 MiB");

        assertThatThrownBy(() -> s3.upload(key, out -> {
            writeRandom(out, 12L * MIB, 7, MessageDigest.getInstance("SHA-256"));
            throw failure;
        })).isSameAs(failure);

        assertThat(s3.exists(key)).isFalse();
        assertThat(raw.listMultipartUploads(b -> b.bucket(BUCKET).prefix(key.key())).uploads()).isEmpty();
    }

    @Test
    void aCheckedWriterFailureIsRethrownNamingTheKey() {
        S3Key key = freshKey("checked.bin");

        assertThatThrownBy(() -> s3.upload(key, out -> {
            out.write(1);
            throw new IOException("disk gone");
        })).isInstanceOf(S3HookException.class)
                .hasMessage("upload to " + key + " (connection s3_default) aborted: disk gone")
                .hasCauseInstanceOf(IOException.class);
        assertThat(s3.exists(key)).isFalse();
    }

    @Test
    void uploadFileRefusesToReplaceAnExistingKeyUnlessAsked(@TempDir Path dir) throws IOException {
        S3Key key = freshKey("file.csv");
        Path first = Files.writeString(dir.resolve("first.csv"), "first");
        Path second = Files.writeString(dir.resolve("second.csv"), "second");
        s3.uploadFile(first, key, false);

        assertThatThrownBy(() -> s3.uploadFile(second, key, false))
                .isInstanceOf(S3HookException.class)
                .hasMessage(key + " already exists (connection s3_default); pass replace=true to overwrite it");
        assertThat(read(key)).isEqualTo("first");

        s3.uploadFile(second, key, true);
        assertThat(read(key)).isEqualTo("second");
    }

    @Test
    void downloadsToAFileAndDeletes(@TempDir Path dir) {
        S3Key key = freshKey("down.txt");
        s3.upload(key, out -> out.write("payload".getBytes(StandardCharsets.UTF_8)));

        long bytes = s3.download(key, dir.resolve("sub/down.txt"));

        assertThat(bytes).isEqualTo(7);
        assertThat(dir.resolve("sub/down.txt")).hasContent("payload");
        assertThat(dir.resolve("sub")).isDirectoryNotContaining("glob:**.part");
        s3.delete(key);
        assertThat(s3.exists(key)).isFalse();
    }

    @Test
    void listsEveryKeyUnderAPrefixAcrossPages() {
        S3Hook smallPages = hook(server.connectionUri(BUCKET), 2);
        String prefix = UUID.randomUUID() + "/";
        for (int i = 0; i < 5; i++) {
            int n = i;
            s3.upload(s3.key(prefix + "part-" + n), out -> out.write(n));
        }
        s3.upload(s3.key(prefix.substring(0, prefix.length() - 1) + "-other"), out -> out.write(0));

        assertThat(smallPages.list(BUCKET, prefix)).extracting(S3Key::toString).containsExactly(
                "s3://hook-test/" + prefix + "part-0", "s3://hook-test/" + prefix + "part-1",
                "s3://hook-test/" + prefix + "part-2", "s3://hook-test/" + prefix + "part-3",
                "s3://hook-test/" + prefix + "part-4");
    }

    @Test
    void aPresignedUrlServesTheObjectWithoutCredentials() throws Exception {
        S3Key key = freshKey("shared.txt");
        s3.upload(key, out -> out.write("shared".getBytes(StandardCharsets.UTF_8)));

        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(s3.presignedGet(key, Duration.ofMinutes(5))).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("shared");
    }

    @Test
    void aMissingBucketIsNamedWithTheConnection() {
        S3Key key = new S3Key("no-such-bucket", "x.csv");
        String message = "bucket 'no-such-bucket' does not exist (connection s3_default)";

        assertThatThrownBy(() -> s3.list("no-such-bucket", "")).hasMessage(message);
        assertThatThrownBy(() -> s3.open(key)).hasMessage(message);
        assertThatThrownBy(() -> s3.exists(key)).hasMessage(message);
        assertThatThrownBy(() -> s3.upload(key, out -> out.write(1))).hasMessage(message);
        assertThatThrownBy(() -> s3.upload(key, out -> writeRandom(out, 6L * MIB, 1, MessageDigest.getInstance("MD5"))))
                .hasMessage(message);
    }

    @Test
    void aMissingKeyIsNamedWithTheConnection() {
        S3Key key = freshKey("absent.csv");

        assertThatThrownBy(() -> s3.open(key)).hasMessage(key + " does not exist (connection s3_default)");
    }

    @Test
    void aMissingKeyOrBucketFailsWithoutRetry() {
        assertThat(RetryAdvice.allowsRetry(catchThrowable(() -> s3.open(freshKey("absent.csv"))))).isFalse();
        assertThat(RetryAdvice.allowsRetry(catchThrowable(() -> s3.list("no-such-bucket", "")))).isFalse();
    }

    /** As a source that another try would read the same way reports itself (an HTTP 404, say). */
    static final class RefusedSource extends IOException implements RetryAdvice {
        RefusedSource() {
            super("HTTP 404");
        }

        @Override
        public boolean worthRetrying() {
            return false;
        }
    }

    @Test
    void anUploadWhoseWriterFailedFollowsTheWritersAdvice() {
        Throwable refused = catchThrowable(() -> s3.upload(freshKey("refused.csv"), out -> {
            throw new RefusedSource();
        }));
        Throwable flaky = catchThrowable(() -> s3.upload(freshKey("flaky.csv"), out -> {
            throw new IOException("connection reset");
        }));

        assertThat(refused).isInstanceOf(S3HookException.class);
        assertThat(RetryAdvice.allowsRetry(refused)).isFalse();
        assertThat(flaky).isInstanceOf(S3HookException.class);
        assertThat(RetryAdvice.allowsRetry(flaky)).isTrue();
    }

    @Test
    void createsABucketOnlyWhenMissing() {
        String bucket = "created-" + UUID.randomUUID().toString().substring(0, 8);

        s3.createBucketIfMissing(bucket);
        s3.createBucketIfMissing(bucket);

        assertThat(s3.bucketExists(bucket)).isTrue();
        assertThat(s3.list(bucket, "")).isEmpty();
    }
}
