package io.dagctl.hooks.s3.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.embedded.LocalS3;
import io.dagctl.embedded.testing.SharedLocalS3;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

class MultipartUploadStreamTest {
    private static final int PART = 5 * 1024 * 1024;

    @Test
    void holdsAtMostTwoPartsHoweverLongTheStream() throws Exception {
        LocalS3 server = SharedLocalS3.instance().createBucket("stream-test");
        try (S3Client client = S3Client.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
                .forcePathStyle(true).credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(server.accessKey(), server.secretKey()))).build()) {
            MultipartUploadStream out = new MultipartUploadStream(client, "stream-test", "long.bin", PART);
            byte[] chunk = new byte[100_000];
            long total = 0;
            while (total < 12L * PART) {
                out.write(chunk);
                total += chunk.length;
                assertThat(out.buffersAllocated()).isLessThanOrEqualTo(2);
            }
            out.complete();

            assertThat(out.bytesWritten()).isEqualTo(total);
            assertThat(client.headObject(b -> b.bucket("stream-test").key("long.bin")).contentLength()).isEqualTo(total);
        }
    }
}
