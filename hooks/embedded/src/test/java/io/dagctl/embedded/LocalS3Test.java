package io.dagctl.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

class LocalS3Test {

    private static S3Client client(LocalS3 s3, String accessKey, String secretKey) {
        return S3Client.builder()
                .endpointOverride(s3.endpoint())
                .region(Region.of(LocalS3.REGION))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .build();
    }

    @Test
    void servesObjectsToAClientSigningWithItsCredentials() {
        try (LocalS3 s3 = LocalS3.startEphemeral(); S3Client client = client(s3, s3.accessKey(), s3.secretKey())) {
            s3.createBucket("rides");
            client.putObject(b -> b.bucket("rides").key("a/b.csv"), RequestBody.fromString("id\n1\n"));

            assertThat(client.getObjectAsBytes(b -> b.bucket("rides").key("a/b.csv")).asUtf8String()).isEqualTo("id\n1\n");
            assertThat(s3.endpoint().toString()).startsWith("http://127.0.0.1:");
        }
    }

    @Test
    void rejectsAClientWithTheWrongSecret() {
        try (LocalS3 s3 = LocalS3.startEphemeral(); S3Client client = client(s3, s3.accessKey(), "wrong-secret-key")) {
            s3.createBucket("rides");
            assertThatThrownBy(() -> client.listObjectsV2(b -> b.bucket("rides")))
                    .isInstanceOf(S3Exception.class)
                    .satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(403));
        }
    }

    @Test
    void connectionUriNamesTheBucketEndpointAndCredentialsAndCreatesTheBucket() {
        try (LocalS3 s3 = LocalS3.startEphemeral()) {
            String uri = s3.connectionUri("dagctl");

            assertThat(uri).isEqualTo("s3://" + s3.accessKey() + ":" + s3.secretKey() + "@dagctl?endpoint="
                    + s3.endpoint() + "&region=us-east-1&path_style=true");
            assertThat(s3.bucketDirectory("dagctl")).isPresent();
        }
    }

    @Test
    void persistentStoreKeepsObjectsAndCredentialsAcrossRestarts(@TempDir Path home) throws Exception {
        String accessKey;
        String secretKey;
        try (LocalS3 s3 = LocalS3.start(home.resolve("s3")); S3Client client = client(s3, s3.accessKey(), s3.secretKey())) {
            s3.createBucket("kept");
            client.putObject(b -> b.bucket("kept").key("k"), RequestBody.fromString("v"));
            accessKey = s3.accessKey();
            secretKey = s3.secretKey();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("s3/credentials.properties"))))
                .isEqualTo("rw-------");

        try (LocalS3 s3 = LocalS3.start(home.resolve("s3")); S3Client client = client(s3, accessKey, secretKey)) {
            assertThat(s3.secretKey()).isEqualTo(secretKey);
            assertThat(client.getObjectAsBytes(b -> b.bucket("kept").key("k")).asUtf8String()).isEqualTo("v");
        }
    }

    @Test
    void ephemeralStoreIsDeletedOnClose() {
        Path root;
        try (LocalS3 s3 = LocalS3.startEphemeral()) {
            root = s3.root();
            s3.createBucket("gone");
        }
        assertThat(root).doesNotExist();
    }

    @Test
    void refusesAnInvalidBucketName() {
        try (LocalS3 s3 = LocalS3.startEphemeral()) {
            assertThatThrownBy(() -> s3.createBucket("Bad_Name"))
                    .hasMessage("local S3: 'Bad_Name' is not a valid bucket name "
                            + "(3-63 lowercase letters, digits, dots and hyphens)");
        }
    }
}
