package io.github.filelock;

import io.github.filelock.internal.LockNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The lock could not be taken within the timeout (Python filelock's {@code Timeout}). The message names
 * the lock, its file, how long the caller waited and, when known, who holds it, for example
 * "held by pid 4242 on host-a, thread scheduling-1, since 2026-11-23T12:00:03Z".
 */
public class FileLockTimeoutException extends FileLockException {

    private static final long serialVersionUID = 2L;

    private final String name;
    private final transient Path file;
    private final Duration waited;
    private final transient LockHolder holder; // null: unknown
    private final Long holderPid; // null: unknown

    /**
     * @param holder the holder as it recorded itself, if it could be read
     * @param kernelPid the pid the kernel reports for the lock, if known; names the holder when it wrote no record
     */
    public FileLockTimeoutException(String name, Path file, Duration waited, Optional<LockHolder> holder,
            Optional<Long> kernelPid) {
        super(message(name, file, waited, holder, kernelPid));
        this.name = name;
        this.file = file;
        this.waited = waited;
        this.holder = holder.orElse(null);
        this.holderPid = holder.map(LockHolder::pid).or(() -> kernelPid.filter(pid -> pid > 0)).orElse(null);
    }

    /** For subclasses whose reason is not a holder: the message is theirs, the holder unknown. */
    protected FileLockTimeoutException(String message, String name, Path file, Duration waited) {
        super(message);
        this.name = name;
        this.file = file;
        this.waited = waited;
        this.holder = null;
        this.holderPid = null;
    }

    private static String message(String name, Path file, Duration waited, Optional<LockHolder> holder,
            Optional<Long> kernelPid) {
        String who = holder.map(h -> "held by " + h.describe())
                .or(() -> kernelPid.filter(pid -> pid > 0)
                        .map(pid -> "held by pid " + pid + " on this host (it wrote no holder record)"))
                .orElse("held by another process or thread");
        // a lock of a backend without files (postgres) has no path: its holder says where it is
        return "Timed out after " + waited.toMillis() + " ms waiting for lock '" + LockNames.abbreviate(name)
                + "'" + (file != null ? " (" + file + ")" : "") + ": " + who;
    }

    /** The lock name. */
    public String name() {
        return name;
    }

    /** The lock file; null for a backend without lock files (postgres). */
    public Path file() {
        return file;
    }

    public Duration waited() {
        return waited;
    }

    /** The holder recorded in the lock file, if it could be read. */
    public Optional<LockHolder> holder() {
        return Optional.ofNullable(holder);
    }

    /** The holder's pid, from its record or from the kernel's lock table, if known. */
    public Optional<Long> holderPid() {
        return Optional.ofNullable(holderPid);
    }
}
