package io.dagctl.hooks.s3;

import io.dagctl.ConnectionUri;
import io.dagctl.HookFactory;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Makes an {@link S3Hook} from a connection
 * {@code s3://ACCESS_KEY:SECRET_KEY@default-bucket?endpoint=http://127.0.0.1:9000&region=us-east-1&path_style=true}.
 * The host is the default bucket (optional); without a login the SDK's default credentials chain applies. Extras:
 * {@code endpoint} and {@code path_style} for S3-compatible servers, {@code region}, {@code part_size_mib}
 * (multipart part size, 5 to 512, default 8) and {@code max_attempts} (per request, default 5).
 */
public final class S3HookFactory implements HookFactory<S3Hook> {
    public static final String DEFAULT_CONNECTION_ID = "s3_default";

    private static final int DEFAULT_PART_SIZE_MIB = 8;
    private static final int DEFAULT_MAX_ATTEMPTS = 5;
    private static final int LIST_PAGE_SIZE = 1000;

    @Override
    public Class<S3Hook> hookType() {
        return S3Hook.class;
    }

    @Override
    public String defaultConnectionId() {
        return DEFAULT_CONNECTION_ID;
    }

    @Override
    public S3Hook create(ConnectionUri connection) {
        return create(connection, LIST_PAGE_SIZE);
    }

    /** With a smaller listing page, so that tests see pagination without a thousand objects. */
    S3Hook create(ConnectionUri connection, int listPageSize) {
        if (!connection.scheme().equals("s3")) {
            throw new IllegalArgumentException("connection '" + connection.id() + "' has scheme '" + connection.scheme()
                    + "', but an S3 connection needs s3://[access_key:secret_key@][default_bucket][?endpoint=...]");
        }
        Optional<URI> endpoint = connection.extra("endpoint").map(e -> parseEndpoint(connection, e));
        Region region = region(connection, endpoint.isPresent());
        boolean pathStyle = connection.extra("path_style").map(Boolean::parseBoolean).orElse(false);
        int partSizeMib = intExtra(connection, "part_size_mib", DEFAULT_PART_SIZE_MIB, 5, 512);
        int maxAttempts = intExtra(connection, "max_attempts", DEFAULT_MAX_ATTEMPTS, 1, 20);
        AwsCredentialsProvider credentials = connection.loginIfAny()
                .<AwsCredentialsProvider>map(login -> StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(login, connection.passwordIfAny().orElse(""))))
                .orElseGet(() -> DefaultCredentialsProvider.builder().build());

        S3ClientBuilder client = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(60)))
                .region(region)
                .credentialsProvider(credentials)
                .forcePathStyle(pathStyle)
                // Stated here rather than left to the SDK default: 500s, 503s, throttling and I/O errors are
                // retried with capped exponential backoff.
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(maxAttempts)
                        .backoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(100), Duration.ofSeconds(20)))
                        .build()));
        S3Presigner.Builder presigner = S3Presigner.builder()
                .region(region)
                .credentialsProvider(credentials)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(pathStyle).build());
        endpoint.ifPresent(e -> {
            client.endpointOverride(e);
            presigner.endpointOverride(e);
        });
        String defaultBucket = connection.host() == null || connection.host().isEmpty() ? null : connection.host();
        return new S3Hook(client.build(), presigner.build(), connection.id(), Optional.ofNullable(defaultBucket),
                partSizeMib * 1024 * 1024, listPageSize);
    }

    private static URI parseEndpoint(ConnectionUri connection, String endpoint) {
        URI uri = URI.create(endpoint);
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new IllegalArgumentException("connection '" + connection.id() + "': endpoint '" + endpoint
                    + "' is not an absolute http(s) URL");
        }
        return uri;
    }

    private static Region region(ConnectionUri connection, boolean customEndpoint) {
        Optional<String> configured = connection.extra("region");
        if (configured.isPresent()) {
            return Region.of(configured.get());
        }
        if (customEndpoint) {
            // S3-compatible servers ignore the region, but the signature needs one.
            return Region.US_EAST_1;
        }
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkClientException e) {
            throw new IllegalArgumentException("connection '" + connection.id()
                    + "' names no region: add ?region=... to its URI or set AWS_REGION");
        }
    }

    private static int intExtra(ConnectionUri connection, String name, int fallback, int min, int max) {
        Optional<String> value = connection.extra(name);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.get());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("connection '" + connection.id() + "': " + name + "=" + value.get()
                + " is not a whole number between " + min + " and " + max);
    }
}
