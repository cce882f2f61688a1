package io.dagctl.cli;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Makes sure {@code DAGCTL_HOME} is a directory dagctl can write before anything opens a file in it, so that a wrong
 * home is one sentence (which path, what is wrong, how to fix it) rather than the metadata database's stack trace.
 */
final class HomeDirectory {
    private HomeDirectory() {
    }

    /** The home, created when missing, after writing and removing a probe file in it. */
    static Path writable(Path home) {
        refuseAFile(home);
        try {
            Files.createDirectories(home);
            Files.delete(Files.createTempFile(home, ".write-probe", ""));
            return home;
        } catch (IOException e) {
            String reason = e instanceof FileSystemException fs && fs.getReason() != null ? fs.getReason()
                    : e.getClass().getSimpleName();
            throw refused(home, "cannot be written: " + reason.toLowerCase(Locale.ROOT),
                    "make it writable or set DAGCTL_HOME to a directory you can write");
        }
    }

    /** Refuses a home that is a file or lies below one; a command that only reads checks this much. */
    static void refuseAFile(Path home) {
        Path existing = home;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (home.equals(existing) && !Files.isDirectory(home)) {
            throw refused(home, "is not a directory but a file", "remove the file or set DAGCTL_HOME to a directory");
        }
        if (existing != null && !Files.isDirectory(existing)) {
            throw refused(home, "cannot be created: " + existing + " is a file", "set DAGCTL_HOME to a directory");
        }
    }

    private static CliException refused(Path home, String problem, String fix) {
        return CliException.usage("DAGCTL_HOME " + home + " " + problem + "; " + fix
                + " (it holds the metadata database, task logs and embedded services' data)");
    }
}
