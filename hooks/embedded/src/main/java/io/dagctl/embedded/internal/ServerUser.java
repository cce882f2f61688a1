package io.dagctl.embedded.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The account PostgreSQL runs under. {@code initdb} and {@code postgres} refuse to run as root, so a root process
 * runs them as the unprivileged {@code nobody} through {@code setpriv}, and hands that account the data directory.
 * Otherwise they run as the current user.
 *
 * <p>Where {@code setpriv} exists the server also gets a parent-death signal (SIGINT, PostgreSQL's fast shutdown),
 * so that it stops when the JVM that started it dies without running its shutdown hooks.
 */
public final class ServerUser {
    private static final String UNPRIVILEGED = "nobody";
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

    private final String name;
    private final int uid;
    private final int gid;
    private final boolean switchesUser;

    private ServerUser(String name, int uid, int gid, boolean switchesUser) {
        this.name = name;
        this.uid = uid;
        this.gid = gid;
        this.switchesUser = switchesUser;
    }

    /** The account PostgreSQL must use when started by this process. */
    public static ServerUser forThisProcess() throws IOException {
        if (effectiveUid() != 0) {
            return new ServerUser(System.getProperty("user.name"), -1, -1, false);
        }
        if (!Files.isExecutable(SETPRIV)) {
            throw new IOException("PostgreSQL cannot run as root and " + SETPRIV
                    + " (util-linux) is missing to run it as '" + UNPRIVILEGED + "'");
        }
        for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
            String[] fields = line.split(":");
            if (fields.length > 3 && fields[0].equals(UNPRIVILEGED)) {
                return new ServerUser(UNPRIVILEGED, Integer.parseInt(fields[2]), Integer.parseInt(fields[3]), true);
            }
        }
        throw new IOException("PostgreSQL cannot run as root and there is no '" + UNPRIVILEGED
                + "' account in /etc/passwd to run it as");
    }

    public String name() {
        return name;
    }

    /** The command line that runs {@code program} as this account. */
    public List<String> command(Path program, List<String> arguments) {
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(SETPRIV)) {
            command.add(SETPRIV.toString());
            if (switchesUser) {
                command.addAll(List.of("--reuid=" + uid, "--regid=" + gid, "--clear-groups"));
            }
            command.add("--pdeathsig=INT");
        }
        command.add(program.toString());
        command.addAll(arguments);
        return command;
    }

    /** Gives this account ownership of a file or directory it must write (the server's data directory). */
    public void own(Path path) throws IOException {
        if (switchesUser) {
            Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(path, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
        }
    }

    /**
     * Fails, naming the directory, when this account cannot reach {@code path} because a directory above it is
     * closed to others (a root home directory, typically).
     */
    public void checkCanReach(Path path) throws IOException {
        Optional<Path> closed = firstClosedDirectoryAbove(path);
        if (closed.isPresent()) {
            throw new IOException("PostgreSQL runs as '" + name + "' because this process is root, and '" + name
                    + "' cannot enter " + closed.get() + " on the way to " + path
                    + ": choose a directory outside it, or allow others to enter it (chmod o+x)");
        }
    }

    public boolean canReach(Path path) throws IOException {
        return firstClosedDirectoryAbove(path).isEmpty();
    }

    private Optional<Path> firstClosedDirectoryAbove(Path path) throws IOException {
        if (!switchesUser) {
            return Optional.empty();
        }
        for (Path dir = path.toAbsolutePath().getParent(); dir != null; dir = dir.getParent()) {
            if (!Files.exists(dir)) {
                continue;
            }
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(dir);
            int owner = (Integer) Files.getAttribute(dir, "unix:uid");
            boolean searchable = permissions.contains(PosixFilePermission.OTHERS_EXECUTE)
                    || owner == uid && permissions.contains(PosixFilePermission.OWNER_EXECUTE);
            if (!searchable) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    private static int effectiveUid() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return -1;
        }
        Optional<String> uidLine = Files.readAllLines(status).stream().filter(l -> l.startsWith("Uid:")).findFirst();
        // "Uid:  real  effective  saved  filesystem"
        return uidLine.map(l -> Integer.parseInt(l.split("\\s+")[2])).orElse(-1);
    }
}
