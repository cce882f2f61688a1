package io.dagctl.internal.runtime;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The process that executes a run, as {@code host:pid:instance} in {@code dag_run.owner}. On the same host an
 * owner is alive while its process is (and, in this process, while its runtime is open); elsewhere, while its
 * heartbeat is recent.
 */
final class Owner {
    private static final Set<String> OPEN_HERE = ConcurrentHashMap.newKeySet();
    static final String HOST = hostName();
    static final int PID = (int) ProcessHandle.current().pid();

    private final String id;

    private Owner(String id) {
        this.id = id;
    }

    static Owner open() {
        Owner owner = new Owner(HOST + ":" + PID + ":" + UUID.randomUUID().toString().substring(0, 8));
        OPEN_HERE.add(owner.id);
        return owner;
    }

    String id() {
        return id;
    }

    void close() {
        OPEN_HERE.remove(id);
    }

    /** Whether the owner recorded for a run may still be executing it. */
    static boolean isAlive(String owner, Optional<Instant> heartbeat, Instant now, Duration staleAfter) {
        String[] parts = owner.split(":");
        if (parts.length != 3) {
            return heartbeat.map(h -> h.plus(staleAfter).isAfter(now)).orElse(false);
        }
        if (!parts[0].equals(HOST)) {
            return heartbeat.map(h -> h.plus(staleAfter).isAfter(now)).orElse(false);
        }
        long pid;
        try {
            pid = Long.parseLong(parts[1]);
        } catch (NumberFormatException e) {
            return false;
        }
        if (pid == PID) {
            return OPEN_HERE.contains(owner);
        }
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName().replace(':', '_');
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
