package io.dagctl.embedded;

import io.dagctl.embedded.internal.Directories;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An S3-compatible server (S3Proxy over the local filesystem) on a free loopback port, with AWS signature v4
 * authentication. {@link #start(Path)} keeps objects and credentials under a directory across restarts;
 * {@link #startEphemeral()} uses a temporary directory that {@link #close()} deletes.
 */
public final class LocalS3 implements AutoCloseable {
    /** The region clients should sign for; the server accepts any. */
    public static final String REGION = "us-east-1";

    private static final Logger LOG = LoggerFactory.getLogger(LocalS3.class);
    private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final String CREDENTIALS_FILE = "credentials.properties";
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private final S3Proxy proxy;
    private final BlobStore store;
    private final Path root;
    private final boolean ephemeral;
    private final String accessKey;
    private final String secretKey;
    private final URI endpoint;

    private LocalS3(S3Proxy proxy, BlobStore store, Path root, boolean ephemeral, String accessKey, String secretKey) {
        this.proxy = proxy;
        this.store = store;
        this.root = root;
        this.ephemeral = ephemeral;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    /**
     * Starts a server that keeps its buckets under {@code dir/buckets} and its credentials in
     * {@code dir/credentials.properties} (generated on first start, owner-readable only), so that objects and keys
     * survive a restart.
     */
    public static LocalS3 start(Path dir) {
        try {
            Files.createDirectories(dir);
            Path credentialsFile = dir.resolve(CREDENTIALS_FILE);
            Properties credentials = readOrCreateCredentials(credentialsFile);
            return start(dir.resolve("buckets"), false,
                    credentials.getProperty("access_key"), credentials.getProperty("secret_key"));
        } catch (IOException e) {
            throw new UncheckedIOException("local S3 store at " + dir + " cannot be opened: " + e.getMessage(), e);
        }
    }

    /** Starts a server on a fresh temporary directory, with fresh credentials; {@link #close()} deletes it all. */
    public static LocalS3 startEphemeral() {
        try {
            return start(Files.createTempDirectory("dagctl-s3-"), true, randomKey(20), randomKey(40));
        } catch (IOException e) {
            throw new UncheckedIOException("temporary directory for local S3 cannot be created: " + e.getMessage(), e);
        }
    }

    private static LocalS3 start(Path root, boolean ephemeral, String accessKey, String secretKey) throws IOException {
        Files.createDirectories(root);
        BlobStore store = new FilesystemNio2BlobStore(root.toAbsolutePath().toString());
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(store)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                .ignoreUnknownHeaders(true)
                .stopTimeout(0)
                .build();
        try {
            proxy.start();
            while (!"STARTED".equals(proxy.getState())) {
                if ("FAILED".equals(proxy.getState())) {
                    throw new IllegalStateException("local S3 server on " + root + " failed to start");
                }
                Thread.sleep(5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting local S3 server on " + root, e);
        } catch (RuntimeException | IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("local S3 server on " + root + " failed to start: " + e.getMessage(), e);
        }
        LocalS3 s3 = new LocalS3(proxy, store, root, ephemeral, accessKey, secretKey);
        LOG.info("local S3 server listening on {} (objects under {})", s3.endpoint, root);
        return s3;
    }

    private static Properties readOrCreateCredentials(Path file) throws IOException {
        Properties credentials = new Properties();
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                credentials.load(in);
            }
            if (credentials.getProperty("access_key") != null && credentials.getProperty("secret_key") != null) {
                return credentials;
            }
        }
        credentials.setProperty("access_key", randomKey(20));
        credentials.setProperty("secret_key", randomKey(40));
        Path temporary = Files.createTempFile(file.getParent(), CREDENTIALS_FILE, ".tmp");
        try {
            Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX filesystem: the directory's own permissions protect the file.
        }
        try (OutputStream out = Files.newOutputStream(temporary)) {
            credentials.store(out, "credentials of the local S3 server");
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
        return credentials;
    }

    private static String randomKey(int length) {
        SecureRandom random = new SecureRandom();
        StringBuilder key = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            key.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return key.toString();
    }

    /** {@code http://127.0.0.1:<port>}. */
    public URI endpoint() {
        return endpoint;
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    /** Creates the bucket unless it exists. */
    public LocalS3 createBucket(String bucket) {
        if (!BUCKET_NAME.matcher(bucket).matches()) {
            throw new IllegalArgumentException("local S3: '" + bucket
                    + "' is not a valid bucket name (3-63 lowercase letters, digits, dots and hyphens)");
        }
        if (!store.containerExists(bucket)) {
            store.createContainer(bucket);
        }
        return this;
    }

    /**
     * A connection URI for S3Hook whose default bucket is {@code bucket}, created now if missing:
     * {@code s3://ACCESS:SECRET@bucket?endpoint=http://127.0.0.1:port&region=us-east-1&path_style=true}.
     */
    public String connectionUri(String bucket) {
        createBucket(bucket);
        return "s3://" + accessKey + ":" + secretKey + "@" + bucket + "?endpoint=" + endpoint + "&region=" + REGION
                + "&path_style=true";
    }

    /** Where objects live on disk: one directory per bucket. */
    public Path root() {
        return root;
    }

    /** The directory that holds a bucket's objects, if the bucket exists. */
    public Optional<Path> bucketDirectory(String bucket) {
        Path dir = root.resolve(bucket);
        return Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            LOG.warn("local S3 server on {} did not stop cleanly: {}", endpoint, e.toString());
        }
        store.close();
        if (ephemeral) {
            try {
                Directories.deleteRecursively(root);
            } catch (IOException e) {
                LOG.warn("temporary local S3 directory {} was not fully deleted: {}", root, e.toString());
            }
        }
    }

}
