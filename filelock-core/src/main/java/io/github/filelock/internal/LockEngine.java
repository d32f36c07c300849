package io.github.filelock.internal;

import io.github.filelock.FileLockException;
import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockInterruptedException;
import io.github.filelock.FileLockTimeoutException;
import io.github.filelock.HeldLock;
import io.github.filelock.LockHolder;
import io.github.filelock.LockMode;
import io.github.filelock.LockState;
import io.github.filelock.LockStatus;
import io.github.filelock.LockWaiter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/** Acquire, release and inspect named locks in one {@link LockDirectory}. */
public final class LockEngine {

    private static final System.Logger LOG = LockDirectory.LOG;

    private final LockDirectory directory;

    public LockEngine(LockDirectory directory) {
        this.directory = directory;
    }

    public LockDirectory directory() {
        return directory;
    }

    public Path lockFile(String name) {
        return directory.path.resolve(LockFileNames.fileName(name));
    }

    /**
     * Takes one hold of {@code name}.
     *
     * @param timeoutNanos 0 for one attempt, negative to wait forever
     * @return the hold, or {@code null} when the lock was not free in time
     */
    public FileLockHold tryAcquire(String name, long timeoutNanos, boolean interruptible) {
        long start = System.nanoTime();
        Thread thread = Thread.currentThread();
        LockFileEntry entry = directory.retain(LockFileNames.fileName(name));
        ReentrantLock jvmLock = entry.jvmLock;
        boolean waiting = false;
        boolean success = false;
        try {
            boolean forever = timeoutNanos < 0;
            long deadline = start + Math.max(0, timeoutNanos);
            if (!tryLockJvmNow(jvmLock, thread)) {
                if (timeoutNanos == 0) {
                    return null;
                }
                waiting = startWaiting(thread, name);
                if (!lockJvm(jvmLock, deadline, forever, interruptible)) {
                    return null;
                }
            }
            try {
                if (jvmLock.getHoldCount() == 1) {
                    boolean locked = entry.tryLockOs(LockMode.EXCLUSIVE);
                    if (!locked && timeoutNanos != 0) {
                        waiting = waiting || startWaiting(thread, name);
                        locked = entry.awaitOs(LockMode.EXCLUSIVE, deadline, forever, interruptible);
                    }
                    if (!locked) {
                        jvmLock.unlock();
                        return null;
                    }
                    markOwner(entry, thread, name);
                }
            } catch (IOException | InterruptedException | RuntimeException | Error e) {
                if (jvmLock.isHeldByCurrentThread()) {
                    jvmLock.unlock();
                }
                throw e;
            }
            success = true;
            entry.setHolds(jvmLock.getHoldCount());
            if (LOG.isLoggable(Level.DEBUG)) {
                LOG.log(Level.DEBUG, "Lock ''{0}'' acquired by thread {1} (hold count {2})", name, thread.getName(),
                        jvmLock.getHoldCount());
            }
            return new EntryHold(this, entry, name, thread);
        } catch (InterruptedException e) {
            thread.interrupt();
            throw new FileLockInterruptedException(name, e);
        } catch (IOException e) {
            throw new FileLockException("Cannot lock '" + LockNames.abbreviate(name) + "': " + e.getMessage(), e);
        } finally {
            if (waiting) {
                directory.doneWaiting(thread);
            }
            if (!success) {
                directory.release(entry);
            }
        }
    }

    /** As {@link #tryAcquire}, throwing {@link FileLockTimeoutException} instead of returning null. */
    public FileLockHold acquire(String name, long timeoutNanos, boolean interruptible) {
        long start = System.nanoTime();
        FileLockHold hold = tryAcquire(name, timeoutNanos, interruptible);
        if (hold != null) {
            return hold;
        }
        Duration waited = Duration.ofNanos(System.nanoTime() - start);
        FileLockTimeoutException timeout = timeoutException(name, waited);
        LOG.log(Level.DEBUG, "Lock ''{0}'' not acquired: {1}", name, timeout.getMessage());
        throw timeout;
    }

    // A fair tryLock with zero wait respects the queue (plain tryLock() would barge past waiters).
    private static boolean tryLockJvmNow(ReentrantLock jvmLock, Thread thread) {
        if (thread.isInterrupted()) {
            return jvmLock.isHeldByCurrentThread() ? jvmLock.tryLock() : !jvmLock.hasQueuedThreads() && jvmLock.tryLock();
        }
        try {
            return jvmLock.tryLock(0, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            throw new IllegalStateException("not interrupted a moment ago", e);
        }
    }

    private static boolean lockJvm(ReentrantLock jvmLock, long deadline, boolean forever, boolean interruptible)
            throws InterruptedException {
        if (forever) {
            if (interruptible) {
                jvmLock.lockInterruptibly();
            } else {
                jvmLock.lock();
            }
            return true;
        }
        return jvmLock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private static void markOwner(LockFileEntry entry, Thread thread, String name) throws IOException {
        try {
            entry.markOwner(thread, name, Instant.now());
        } catch (IOException e) {
            entry.releaseOs();
            throw e;
        }
    }

    private boolean startWaiting(Thread thread, String name) {
        directory.waiting(thread, new LockWaiter(name, thread.getName(), LockMode.EXCLUSIVE, Instant.now()));
        return true;
    }

    /** Releases one hold of the current thread. */
    void release(LockFileEntry entry, String name, Thread owner) {
        ReentrantLock jvmLock = entry.jvmLock;
        if (Thread.currentThread() != owner || !jvmLock.isHeldByCurrentThread()) {
            throw new IllegalMonitorStateException("Lock '" + LockNames.abbreviate(name) + "' is held by thread "
                    + owner.getName() + ", not by " + Thread.currentThread().getName()
                    + ": only the thread that acquired a lock can release it");
        }
        try {
            entry.setHolds(jvmLock.getHoldCount() - 1);
            if (jvmLock.getHoldCount() == 1) {
                entry.releaseOs();
                LOG.log(Level.DEBUG, "Lock ''{0}'' released by thread {1}", name, owner.getName());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not release lock '" + LockNames.abbreviate(name) + "'", e);
        } finally {
            jvmLock.unlock();
            directory.release(entry);
        }
    }

    /** Releases one hold of {@code name} by the current thread (for the {@code Lock} view). */
    public void releaseOne(String name) {
        LockFileEntry entry = directory.find(LockFileNames.fileName(name));
        if (entry == null || !entry.jvmLock.isHeldByCurrentThread()) {
            throw new IllegalMonitorStateException("Lock '" + LockNames.abbreviate(name) + "' is not held by thread "
                    + Thread.currentThread().getName());
        }
        release(entry, name, Thread.currentThread());
    }

    public int holdCount(String name) {
        LockFileEntry entry = directory.find(LockFileNames.fileName(name));
        return entry == null ? 0 : entry.jvmLock.getHoldCount();
    }

    // ---- inspection: never takes or drops the lock --------------------------------------------------------

    public LockStatus inspect(String name) {
        return inspectFile(LockFileNames.fileName(name), name);
    }

    /** Every lock file in the directory with what is known of its holder. */
    public List<LockStatus> scan() {
        List<LockStatus> statuses = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory.path, "*" + LockFileNames.SUFFIX)) {
            for (Path file : files) {
                String fileName = file.getFileName().toString();
                statuses.add(inspectFile(fileName, null));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list lock directory " + directory.path, e);
        }
        return statuses;
    }

    private LockStatus inspectFile(String fileName, String knownName) {
        Path file = directory.path.resolve(fileName);
        LockFileEntry existing = directory.find(fileName);
        if (existing != null && existing.owner() != null) {
            Thread owner = existing.owner();
            String name = existing.ownerLockName();
            LockHolder holder = new LockHolder(ProcessIdentity.PID, ProcessIdentity.HOST, owner.getName(),
                    name, existing.acquiredAt());
            return new LockStatus(name, file, LockState.HELD_BY_THIS_PROCESS, Optional.of(holder),
                    OptionalLong.of(ProcessIdentity.PID));
        }
        if (!Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return new LockStatus(knownName != null ? knownName : plainName(fileName), file, LockState.FREE,
                    Optional.empty(), OptionalLong.empty());
        }
        LockFileEntry entry = directory.retain(fileName);
        try {
            boolean kernelKnows = KernelLocks.available();
            OptionalLong kernelPid = kernelKnows ? KernelLocks.holderPid(file) : OptionalLong.empty();
            boolean held = kernelKnows ? kernelPid.isPresent() && kernelPid.getAsLong() != ProcessIdentity.PID
                    : entry.probeHeldElsewhere();
            Optional<LockHolder> record = HolderRecord.parse(entry.readContent());
            if (held && kernelPid.isPresent() && kernelPid.getAsLong() > 0
                    && record.map(r -> r.pid() != kernelPid.getAsLong()).orElse(false)) {
                record = Optional.empty(); // the record is a previous holder's; the current one wrote none
            }
            String name = knownName != null ? knownName
                    : record.map(LockHolder::lockName).orElse(plainName(fileName));
            return new LockStatus(name, file, held ? LockState.HELD_BY_OTHER_PROCESS : LockState.FREE,
                    held ? record : Optional.empty(), held ? kernelPid : OptionalLong.empty());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot inspect lock file " + file, e);
        } finally {
            directory.release(entry);
        }
    }

    private static String plainName(String fileName) {
        return fileName.substring(0, fileName.length() - LockFileNames.SUFFIX.length());
    }

    public List<HeldLock> heldLocks() {
        List<HeldLock> held = new ArrayList<>();
        for (LockFileEntry entry : directory.entries()) {
            Thread owner = entry.owner();
            Instant since = entry.acquiredAt();
            String name = entry.ownerLockName();
            if (owner != null && since != null && name != null) {
                held.add(new HeldLock(name, entry.file, LockMode.EXCLUSIVE, owner.getName(), entry.holds(), since));
            }
        }
        return held;
    }

    public List<LockWaiter> waiters() {
        return directory.waiters();
    }

    private FileLockTimeoutException timeoutException(String name, Duration waited) {
        Path file = lockFile(name);
        LockHolder holder = null;
        OptionalLong kernelPid = OptionalLong.empty();
        try {
            LockStatus status = inspect(name);
            holder = status.recordedHolder().orElse(null);
            kernelPid = status.kernelPid();
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "Could not read the holder of " + file, e);
        }
        return new FileLockTimeoutException(name, file, waited, holder, kernelPid);
    }
}
