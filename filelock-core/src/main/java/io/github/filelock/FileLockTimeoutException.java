package io.github.filelock;

import io.github.filelock.internal.LockNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The lock could not be taken within the timeout (Python filelock's {@code Timeout}). The message names
 * the lock, its file, how long the caller waited and, when known, who holds it, for example
 * "held by pid 4242 on host-a, thread scheduling-1, since 2026-11-23T12:00:03Z".
 */
public class FileLockTimeoutException extends FileLockException {

    private static final long serialVersionUID = 1L;

    private final String lockName;
    private final transient Path lockFile;
    private final Duration waited;
    private final transient LockHolder holder;
    private final long holderPid;

    public FileLockTimeoutException(String lockName, Path lockFile, Duration waited, LockHolder holder,
            OptionalLong kernelPid) {
        super(message(lockName, lockFile, waited, holder, kernelPid));
        this.lockName = lockName;
        this.lockFile = lockFile;
        this.waited = waited;
        this.holder = holder;
        this.holderPid = holder != null ? holder.pid() : kernelPid.orElse(-1);
    }

    /** For subclasses whose reason is not a holder: the message is theirs, the holder unknown. */
    protected FileLockTimeoutException(String message, String lockName, Path lockFile, Duration waited) {
        super(message);
        this.lockName = lockName;
        this.lockFile = lockFile;
        this.waited = waited;
        this.holder = null;
        this.holderPid = -1;
    }

    private static String message(String lockName, Path lockFile, Duration waited, LockHolder holder,
            OptionalLong kernelPid) {
        String who;
        if (holder != null) {
            who = "held by " + holder.describe();
        } else if (kernelPid.isPresent() && kernelPid.getAsLong() > 0) {
            who = "held by pid " + kernelPid.getAsLong() + " on this host (it wrote no holder record)";
        } else {
            who = "held by another process or thread";
        }
        return "Timed out after " + waited.toMillis() + " ms waiting for lock '" + LockNames.abbreviate(lockName)
                + "' (" + lockFile + "): " + who;
    }

    public String lockName() {
        return lockName;
    }

    public Path lockFile() {
        return lockFile;
    }

    public Duration waited() {
        return waited;
    }

    /** The holder recorded in the lock file, if it could be read. */
    public Optional<LockHolder> holder() {
        return Optional.ofNullable(holder);
    }

    /** The holder's pid, from its record or from the kernel's lock table; -1 when unknown. */
    public long holderPid() {
        return holderPid;
    }
}
