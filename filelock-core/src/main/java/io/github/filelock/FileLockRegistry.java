package io.github.filelock;

import io.github.filelock.internal.AsyncAcquirer;
import io.github.filelock.internal.FileSettings;
import io.github.filelock.internal.FileSpaces;
import io.github.filelock.internal.LockDirectoryValidator;
import io.github.filelock.internal.LockEngine;
import io.github.filelock.internal.LockNames;
import io.github.filelock.internal.LockSpace;
import io.github.filelock.internal.Log;
import io.github.filelock.internal.TypeSelector;
import io.github.filelock.internal.TypeSelector.SoftSettings;
import io.github.filelock.spi.LockBackend;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;

/**
 * Named, cross-process locks in one directory: each name is a separate {@code .lock} file held with an OS
 * lock ({@code flock(2)} on Linux and macOS) that the kernel frees when the process dies. A registry can also run on
 * any other {@link LockBackend}, such as PostgreSQL advisory locks ({@link #builder(LockBackend)}).
 *
 * <pre>{@code
 * FileLockRegistry locks = FileLockRegistry.builder(Path.of("/var/lib/app/locks")).build();
 * try (FileLockHold hold = locks.acquire("embeddings", Duration.ofSeconds(30))) {
 *     ...
 * }
 * }</pre>
 *
 * <p>Locks are reentrant per thread and fair among the threads of this JVM. Registries are thread-safe, and any
 * number of them may share a directory in one JVM.
 *
 * <p>Times: the methods without a timeout ({@code acquire(name)}, {@code acquireAsync(name)}) wait as long as it
 * takes; a timeout of {@link Duration#ZERO} makes one non-blocking attempt; a negative timeout is refused with
 * {@link IllegalArgumentException}, because it is usually a deadline that has already passed
 * ({@code Duration.between(now, deadline)}). The {@link Lock} view follows {@code java.util.concurrent} instead:
 * there a time of zero or less makes one attempt.
 */
public final class FileLockRegistry implements AutoCloseable {

    private final LockSpace space;
    private final LockEngine engine;
    private final FileLockDiagnostics diagnostics;
    private volatile boolean closed;

    private FileLockRegistry(LockSpace space, boolean syncFencingTokens) {
        this.space = space;
        this.engine = new LockEngine(space);
        this.diagnostics = new FileLockDiagnostics(this, engine);
        engine.durableFencingTokens(syncFencingTokens);
    }

    /** A registry of lock files in {@code directory}. */
    public static Builder builder(Path directory) {
        return new Builder(directory);
    }

    /**
     * A registry on {@code backend}, such as the PostgreSQL backend of {@code filelock-postgres}. The registry owns the
     * backend: closing the registry closes it once no hold is left. Only the builder's settings that do not concern
     * files apply ({@link Builder#maxOpenFiles}); the others are refused at {@code build()}.
     */
    public static Builder builder(LockBackend backend) {
        return new Builder(backend);
    }

    /**
     * Takes the lock exclusively, waiting as long as it takes.
     *
     * @throws FileLockInterruptedException when the thread is interrupted while waiting
     */
    public FileLockHold acquire(String name) {
        return acquire(name, LockMode.EXCLUSIVE);
    }

    /**
     * Takes the lock in {@code mode}, waiting as long as it takes (see {@link #acquire(String, LockMode, Duration)}).
     */
    public FileLockHold acquire(String name, LockMode mode) {
        return engine.acquire(checkName(name), checkMode(mode), Timeouts.FOREVER, true, false);
    }

    /**
     * Takes the lock exclusively, waiting up to {@code timeout}.
     *
     * @throws FileLockTimeoutException when it is still held by someone else after {@code timeout}
     * @throws FileLockInterruptedException when the thread is interrupted while waiting
     * @throws IllegalArgumentException when {@code timeout} is negative (see the class comment)
     */
    public FileLockHold acquire(String name, Duration timeout) {
        return acquire(name, LockMode.EXCLUSIVE, timeout);
    }

    /** Takes the lock shared with other readers, waiting as long as it takes. */
    public FileLockHold acquireShared(String name) {
        return acquire(name, LockMode.SHARED);
    }

    /**
     * Takes the lock shared with other readers ({@code flock -s}), waiting up to {@code timeout}. Writers
     * queued in this JVM before a reader are served before it, so readers cannot starve them.
     */
    public FileLockHold acquireShared(String name, Duration timeout) {
        return acquire(name, LockMode.SHARED, timeout);
    }

    /**
     * Takes the lock in {@code mode}, waiting up to {@code timeout}. A thread that holds it may take it again in the
     * same mode, or SHARED inside EXCLUSIVE; asking for EXCLUSIVE while holding it SHARED throws
     * {@link IllegalStateException}.
     *
     * @throws UnsupportedOperationException for SHARED on a type without it ({@link LockType#supportsShared()}:
     *     {@link LockType#SOFT}), even nested inside an exclusive hold; {@link LockType#SOFT_RW} is the read/write
     *     soft type
     * @throws FileLockTimeoutException when it is still held by someone else after {@code timeout}
     * @throws FileLockInterruptedException when the thread is interrupted while waiting
     * @throws IllegalArgumentException when {@code timeout} is negative (see the class comment)
     */
    public FileLockHold acquire(String name, LockMode mode, Duration timeout) {
        String checked = checkName(name);
        return engine.acquire(checked, checkMode(mode), Timeouts.registryNanos(timeout, checked), true, false);
    }

    /** One non-blocking exclusive attempt (Python filelock's {@code timeout=0}). */
    public Optional<FileLockHold> tryAcquire(String name) {
        return tryAcquire(name, LockMode.EXCLUSIVE);
    }

    /** One non-blocking attempt in {@code mode}. */
    public Optional<FileLockHold> tryAcquire(String name, LockMode mode) {
        return Optional.ofNullable(engine.tryAcquire(checkName(name), checkMode(mode), 0, true, false));
    }

    /** As {@link #tryAcquire(String, LockMode, Duration)}, exclusively. */
    public Optional<FileLockHold> tryAcquire(String name, Duration timeout) {
        return tryAcquire(name, LockMode.EXCLUSIVE, timeout);
    }

    /**
     * Takes the lock in {@code mode}, waiting up to {@code timeout}, and returns empty instead of throwing when it
     * is still held elsewhere ({@code Lock.tryLock(time, unit)}). Not getting the lock costs only the wait: no
     * holder lookup, no exception. {@link Duration#ZERO} makes one attempt.
     *
     * @throws IllegalArgumentException when {@code timeout} is negative (see the class comment)
     * @throws FileLockInterruptedException when the thread is interrupted while waiting
     */
    public Optional<FileLockHold> tryAcquire(String name, LockMode mode, Duration timeout) {
        String checked = checkName(name);
        return Optional.ofNullable(engine.tryAcquire(checked, checkMode(mode), Timeouts.registryNanos(timeout, checked),
                true, false));
    }

    /**
     * Takes the lock exclusively for async work, waiting as long as it takes
     * (see {@link #acquireAsync(String, LockMode, Duration)}).
     */
    public CompletableFuture<FileLockHold> acquireAsync(String name) {
        return acquireAsync(name, LockMode.EXCLUSIVE);
    }

    /** Takes the lock in {@code mode} for async work, waiting as long as it takes. */
    public CompletableFuture<FileLockHold> acquireAsync(String name, LockMode mode) {
        return AsyncAcquirer.acquire(engine, checkName(name), checkMode(mode), Timeouts.FOREVER);
    }

    /** Takes the lock exclusively for async work, waiting up to {@code timeout}. */
    public CompletableFuture<FileLockHold> acquireAsync(String name, Duration timeout) {
        return acquireAsync(name, LockMode.EXCLUSIVE, timeout);
    }

    /**
     * Takes the lock for async work: the future completes with a hold that belongs to no thread, so it can
     * be closed on whichever thread finishes the work. Such holds are not reentrant: an async call nested in
     * another on the same name waits for it like any other caller. Waiting takes no thread: the caller queues
     * in the same fair gate as threads, in call order, and a lock that arrives later completes the future on a
     * library thread ({@code filelock-async-N}). A timeout completes the future with
     * {@link FileLockTimeoutException}. Cancelling the future, {@code orTimeout}, or completing it any other way
     * stops the wait at once, and a hold that arrives afterwards is released.
     *
     * @throws IllegalArgumentException when {@code timeout} is negative (see the class comment)
     */
    public CompletableFuture<FileLockHold> acquireAsync(String name, LockMode mode, Duration timeout) {
        String checked = checkName(name);
        return AsyncAcquirer.acquire(engine, checked, checkMode(mode), Timeouts.registryNanos(timeout, checked));
    }

    /** As {@link #tryAcquireAsync(String, LockMode, Duration)}, exclusively. */
    public CompletableFuture<Optional<FileLockHold>> tryAcquireAsync(String name, Duration timeout) {
        return tryAcquireAsync(name, LockMode.EXCLUSIVE, timeout);
    }

    /**
     * As {@link #acquireAsync(String, LockMode, Duration)}, but a lock still held elsewhere after {@code timeout}
     * completes the future with empty instead of a {@link FileLockTimeoutException}: no holder lookup, no
     * exception (the async counterpart of {@link #tryAcquire(String, LockMode, Duration)}, for callers that skip
     * busy work). Cancelling the future stops the wait, and a hold that arrives afterwards is released.
     *
     * @throws IllegalArgumentException when {@code timeout} is negative (see the class comment)
     */
    public CompletableFuture<Optional<FileLockHold>> tryAcquireAsync(String name, LockMode mode, Duration timeout) {
        String checked = checkName(name);
        return AsyncAcquirer.tryAcquire(engine, checked, checkMode(mode), Timeouts.registryNanos(timeout, checked));
    }

    /**
     * Runs {@code action} under the lock, taken exclusively within {@code timeout}, and returns its result; an
     * exception from it, checked or not, reaches the caller unchanged, after the lock is released.
     *
     * @throws FileLockTimeoutException when the lock is not free within {@code timeout} ({@code action} does not run)
     * @throws IllegalArgumentException when {@code timeout} is negative (see the class comment)
     */
    public <T, E extends Throwable> T executeLocked(String name, Duration timeout, LockedAction<T, E> action) throws E {
        return executeLocked(name, LockMode.EXCLUSIVE, timeout, action);
    }

    /** As {@link #executeLocked(String, Duration, LockedAction)}, with the lock taken in {@code mode}. */
    public <T, E extends Throwable> T executeLocked(String name, LockMode mode, Duration timeout,
            LockedAction<T, E> action) throws E {
        Objects.requireNonNull(action, "action must not be null");
        try (FileLockHold hold = acquire(name, mode, timeout)) {
            return action.run();
        }
    }

    /** As {@link #executeLocked(String, Duration, LockedAction)}, for work without a result. */
    public <E extends Throwable> void runLocked(String name, Duration timeout, LockedRunnable<E> action) throws E {
        runLocked(name, LockMode.EXCLUSIVE, timeout, action);
    }

    /** As {@link #executeLocked(String, LockMode, Duration, LockedAction)}, for work without a result. */
    public <E extends Throwable> void runLocked(String name, LockMode mode, Duration timeout, LockedRunnable<E> action)
            throws E {
        Objects.requireNonNull(action, "action must not be null");
        try (FileLockHold hold = acquire(name, mode, timeout)) {
            action.run();
        }
    }

    /**
     * A {@link Lock} view of one name (EXCLUSIVE), for code that expects {@code java.util.concurrent.locks}. It follows
     * {@code Lock}'s contract: {@code tryLock(time, unit)} with a time of zero or less makes one attempt, and a time
     * too long to count in nanoseconds waits forever. Holds belong to the calling thread and are reentrant;
     * {@code unlock} by a thread that holds nothing throws {@link IllegalMonitorStateException}.
     */
    public Lock obtain(String name) {
        return new FileLockView(this, checkName(name), LockMode.EXCLUSIVE);
    }

    /**
     * A {@link ReadWriteLock} view of one name: its read lock takes the lock SHARED ({@code flock -s}), its write lock
     * EXCLUSIVE; both behave as {@link #obtain}'s view. A thread holding the write lock may take the read lock too (a
     * nested hold of the exclusive lock, which stays exclusive until the thread's last hold is released: there is no
     * downgrade). Taking the write lock while holding only the read lock throws {@link IllegalStateException}, from
     * {@code tryLock} as well, instead of deadlocking (two readers upgrading would wait for each other forever), and
     * unlocking the write lock then throws {@link IllegalMonitorStateException}.
     */
    public ReadWriteLock obtainReadWrite(String name) {
        return new FileReadWriteLockView(this, checkName(name));
    }

    /** Whether the current thread holds {@code name} (Python filelock's {@code is_locked}, per thread). */
    public boolean isHeldByCurrentThread(String name) {
        return engine.holdCount(checkName(name)) > 0;
    }

    /** How many holds the current thread has on {@code name} (Python filelock's {@code lock_counter}). */
    public int holdCount(String name) {
        return engine.holdCount(checkName(name));
    }

    /**
     * As {@link #breakLock(String, String)}, requested by the operating-system user running this JVM.
     */
    public Optional<LockHolder> breakLock(String name) {
        return breakLock(name, "user " + System.getProperty("user.name") + " through the core API");
    }

    /**
     * Removes another process's claim on {@code name} on an operator's word: a soft or soft-lease marker, or a strict
     * claim, that a holder which crashed on another host left behind, and that no contender will ever remove by
     * itself. Whoever still runs under that claim loses its exclusion, so break only a holder known to be gone. A
     * thread of this JVM that waits for {@code name} simply gets it. Logs a WARN naming who held it, what was removed
     * and {@code requestedBy}.
     *
     * @param requestedBy who asked, for the audit log (a user, a principal, a ticket)
     * @return who held it, as recorded; empty when nothing was there to remove
     * @throws IllegalStateException when this JVM holds {@code name} (or keeps it for its minimum hold time): release
     *     it here, or break it from a process that does not hold it; or when the claim changed while it was being
     *     broken (a new holder took it, and it was left in place)
     * @throws UnsupportedOperationException for the types that the kernel or a server frees when the holder dies
     *     (flock, file-channel, postgres), with the reason
     * @throws FileLockException when the claim cannot be read or removed
     */
    public Optional<LockHolder> breakLock(String name, String requestedBy) {
        String checked = checkName(name);
        Objects.requireNonNull(requestedBy, "requestedBy must not be null");
        LocalUse.refuseBreak(diagnostics, checked);
        LockBackend backend = space.backend();
        Optional<LockHolder> held;
        try {
            held = backend.breakLock(checked);
        } catch (IOException e) {
            throw new FileLockException("Could not break lock '" + LockNames.abbreviate(checked) + "' at "
                    + backend.locationOf(checked) + ": " + e.getMessage(), e);
        }
        held.ifPresent(holder -> Log.LOGGER.log(System.Logger.Level.WARNING, oneLine("Operator break of "
                + backend.type() + " lock '" + LockNames.abbreviate(checked) + "', requested by " + requestedBy
                + ": removed the claim at " + backend.locationOf(checked) + " held by " + holder.describe()
                + ". Whoever still runs under it no longer excludes others.")));
        return held;
    }

    // An audit entry stays one line: the requester, the name and a marker's host are others' text, and a line break
    // in any of them could forge another entry.
    private static String oneLine(String message) {
        StringBuilder out = new StringBuilder(message.length());
        message.codePoints().forEach(c -> {
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> {
                    if (Character.isISOControl(c)) {
                        out.append(String.format("\\u%04x", c));
                    } else {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.toString();
    }

    /** Who holds and waits for what, read without taking or releasing a lock: inspection, listings, counters. */
    public FileLockDiagnostics diagnostics() {
        return diagnostics;
    }

    /**
     * The lock directory.
     *
     * @throws IllegalStateException on a registry whose backend has no lock files
     */
    public Path directory() {
        return requireFiles(space.directory());
    }

    /** The type of lock this registry uses: never {@link LockType#AUTO}, which {@code build()} resolves. */
    public LockType type() {
        return space.type();
    }

    /**
     * Starts shutting this registry down gracefully, once and for good: from now on a request for a lock this thread
     * does not already hold ends at once as a timeout would ({@link FileLockDrainingException} from
     * {@code acquire} and {@code acquireAsync}, empty from {@code tryAcquire}), and so do the callers waiting right
     * now, threads and async alike, whatever their timeout. Holders keep running; a holder may still nest holds of a
     * lock it holds. Locks kept only for their minimum hold time ({@link FileLockHold#closeHoldingAtLeast}) are
     * released now, and later closes release at once: another instance may then run the same job sooner than the
     * minimum meant, but waiting for it would delay every shutdown, and a process that dies frees its locks anyway.
     * Then {@link #awaitReleased} waits for the running holds. Other registries, even on the same directory, are
     * not affected.
     */
    public void drain() {
        engine.drain();
    }

    /** Whether {@link #drain()} was called. */
    public boolean isDraining() {
        return engine.draining();
    }

    /**
     * Waits until every hold taken through this registry is released, up to {@code timeout}; call it after
     * {@link #drain()}, which stops new holds from being taken meanwhile.
     *
     * @return true when none is left, false when some are still held after {@code timeout}
     * @throws IllegalArgumentException when {@code timeout} is negative
     * @throws InterruptedException when the thread is interrupted while waiting
     */
    public boolean awaitReleased(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout must not be null");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("awaitReleased timeout must not be negative, was " + timeout
                    + ": pass how long the shutdown may wait for running holds, such as Duration.ofSeconds(30)");
        }
        long nanos;
        try {
            nanos = timeout.toNanos();
        } catch (ArithmeticException e) {
            nanos = Long.MAX_VALUE; // longer than 292 years
        }
        return engine.awaitReleased(nanos);
    }

    Path requireFiles(Path path) {
        if (path == null) {
            throw new IllegalStateException("This registry's " + space.type().id() + " locks live in "
                    + space.backend().location() + ", not in lock files");
        }
        return path;
    }

    LockBackend backend() {
        return space.backend();
    }

    long lostHolds() {
        return space.lostHolds();
    }

    /**
     * Stops this registry from taking new locks. Holds already taken stay valid until closed; the last
     * registry on a directory closes its idle file descriptors.
     */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            space.detach();
        }
    }

    LockEngine engine() {
        return engine;
    }

    private static LockMode checkMode(LockMode mode) {
        return Objects.requireNonNull(mode, "lock mode must not be null");
    }

    String checkName(String name) {
        Objects.requireNonNull(name, "lock name must not be null");
        if (closed) {
            throw new IllegalStateException("This FileLockRegistry (" + space.backend().location() + ") is closed");
        }
        return name;
    }

    /** Configures a {@link FileLockRegistry}. */
    public static final class Builder {

        private final Path directory;
        private final LockBackend backend;
        private Set<PosixFilePermission> filePermissions = PosixFilePermissions.fromString("rw-r--r--");
        private LockType type;
        private boolean fileSettingsChanged; // settings that only a file registry can apply
        private int maxOpenFiles = 256;
        private int maxWaitThreads = LockSpace.DEFAULT_MAX_WAIT_THREADS;
        private boolean deleteIdleLockFiles;
        private boolean trustSharedDirectory;
        private boolean fileChannelFallback = true;
        private Duration softHeartbeat = Duration.ofSeconds(10);
        private Duration softLease = Duration.ofSeconds(30);
        private Duration softPollInterval = Duration.ofMillis(25);
        private Duration softStaleThreshold = Duration.ofSeconds(90);
        private boolean syncFencingTokens;
        private Set<String> interruptOnLoss = Set.of();

        private Builder(Path directory) {
            this.directory = Objects.requireNonNull(directory, "lock directory must not be null");
            this.backend = null;
        }

        private Builder(LockBackend backend) {
            this.directory = null;
            this.backend = Objects.requireNonNull(backend, "lock backend must not be null");
        }

        /** Permissions of new lock files; default {@code rw-r--r--}. */
        public Builder filePermissions(Set<PosixFilePermission> permissions) {
            this.filePermissions = Set.copyOf(Objects.requireNonNull(permissions, "permissions"));
            fileSettingsChanged = true;
            return this;
        }

        /** Permissions of new lock files as {@code ls -l} shows them, e.g. {@code "rw-rw----"}. */
        public Builder filePermissions(String permissions) {
            try {
                return filePermissions(PosixFilePermissions.fromString(permissions));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Invalid lock file permissions '" + permissions
                        + "': use nine characters as ls -l prints them, such as rw-r--r--", e);
            }
        }

        /**
         * Forces a type of lock file. By default the registry uses {@link LockType#FLOCK} on Linux and macOS and
         * {@link LockType#FILE_CHANNEL} elsewhere, falling back with a WARN when native access fails.
         * {@link LockType#SOFT} uses marker files; {@link LockType#STRICT_SOFT} uses Python's strict claims, never
         * broken by age; {@link LockType#SOFT_RW} the marker tree of Python's {@code SoftReadWriteLock} (SHARED reads,
         * EXCLUSIVE writes); {@link LockType#AUTO} probes the directory once and uses SOFT only when its file system
         * refuses flock. {@link LockType#POSTGRES} is no file type: use
         * {@link FileLockRegistry#builder(LockBackend)}.
         *
         * <p>A SOFT registry and a kernel-lock (flock, FileChannel, AUTO) registry may share a directory, but they
         * do not exclude each other: lock each name with one type only. Kernel-lock registries on one directory
         * must use the same type. Without a type a registry joins the kernel locks this JVM already uses on the
         * directory, never soft markers; with AUTO it joins the type this JVM already uses there (kernel locks
         * first).
         */
        public Builder type(LockType type) {
            if (Objects.requireNonNull(type, "type") == LockType.POSTGRES) {
                throw new IllegalArgumentException("POSTGRES is not a type of lock file: build the registry with"
                        + " FileLockRegistry.builder(LockBackend) and the filelock-postgres module's backend, not on a"
                        + " directory.");
            }
            if (type == LockType.REDIS) {
                throw new IllegalArgumentException("REDIS is not a type of lock file: build the registry with"
                        + " FileLockRegistry.builder(LockBackend) and the filelock-redis module's backend, not on a"
                        + " directory.");
            }
            this.type = type;
            fileSettingsChanged = true;
            return this;
        }

        /**
         * Whether a registry without a type (or with AUTO) may fall back to {@link LockType#FILE_CHANNEL}
         * when native flock cannot be loaded (no JNA, or an architecture it does not know); default true, with a
         * WARN. FileChannel locks still exclude other JVMs that use this library, but not flock(1) or Python
         * filelock: refuse the fallback where such tools share the lock files, and {@link #build()} then throws
         * {@link UnsupportedOperationException} instead.
         */
        public Builder allowFileChannelFallback(boolean allowed) {
            this.fileChannelFallback = allowed;
            fileSettingsChanged = true;
            return this;
        }

        /**
         * How often a {@link LockType#SOFT_LEASE soft-lease} holder checks that its marker is still its own and
         * refreshes the marker's mtime; default 10 s. A holder whose marker was broken learns it at the next beat.
         * {@link LockType#SOFT_RW} readers and writers refresh theirs at this interval too.
         */
        public Builder softHeartbeat(Duration heartbeat) {
            this.softHeartbeat = positive(heartbeat, "softHeartbeat");
            fileSettingsChanged = true;
            return this;
        }

        /**
         * The {@link LockType#SOFT_LEASE soft-lease} lease: a marker not refreshed for this long is broken by the next
         * contender; default 30 s, as Python's {@code SoftFileLease}. It is written into every marker, and every
         * process that locks a name must use the same lease ({@link LeaseSettingsMismatchException} otherwise). Must
         * be more than twice {@link #softHeartbeat}, and longer than the clock skew between hosts. A marker whose
         * owner is provably dead on this host is broken at once. {@link LockType#SOFT_RW} uses
         * {@link #softStaleThreshold} instead.
         */
        public Builder softLease(Duration lease) {
            this.softLease = positive(lease, "softLease");
            fileSettingsChanged = true;
            return this;
        }

        /**
         * The {@link LockType#SOFT_RW} stale threshold: a reader or writer marker not refreshed for longer is evicted
         * by the next contender, whatever host wrote it; default 90 s, as Python's {@code SoftReadWriteLock}. Each
         * process judges others' markers by its own threshold, so it must exceed the heartbeat of every process that
         * uses the name (Python's default is 30 s, this library's {@link #softHeartbeat} 10 s) by more than the longest
         * pause and the clock skew between hosts. Must exceed {@link #softHeartbeat}.
         */
        public Builder softStaleThreshold(Duration staleThreshold) {
            this.softStaleThreshold = positive(staleThreshold, "softStaleThreshold");
            fileSettingsChanged = true;
            return this;
        }

        /**
         * How often a wait for a soft lock (any soft type) retries once it has waited a while: a soft lock has no
         * kernel queue, so a waiter learns of a release at its next try. A wait first retries after 5 ms (or this
         * interval, if shorter), doubling the pause up to this interval; default 25 ms. Shorter hands a long-held
         * lock over sooner and costs more file system calls while waiting (on NFS, round trips to the server).
         */
        public Builder softPollInterval(Duration pollInterval) {
            this.softPollInterval = positive(pollInterval, "softPollInterval");
            fileSettingsChanged = true;
            return this;
        }

        private static Duration positive(Duration value, String what) {
            Objects.requireNonNull(value, what + " must not be null");
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, was " + value);
            }
            return value;
        }

        /**
         * How many idle lock files this JVM keeps open per directory, so the next acquire of a recent name
         * skips the open(2); default 256. Idle files beyond it are closed. Held files are always open.
         */
        /**
         * Lock names whose holding thread is interrupted when the lock is found lost while it holds it (a soft-lease
         * marker broken after its lease, a database session that ended); default none. A name also covers its keys
         * ({@code doc} covers {@code doc:42}). Off by default because an interrupt can break work that the thread
         * cannot resume (an interruptible channel is closed by it); where the work checks for interrupts (blocking
         * queues, {@code Thread.sleep}, a loop that tests {@code Thread.interrupted()}) it stops the work soon after
         * the loss. The interrupt comes from the thread that found the loss, at most once per hold, and never after
         * the thread's last hold of the lock was closed. Detached holds ({@code acquireAsync}) have no thread to
         * interrupt: use {@link FileLockHold#whenLost} there. Loss is always reported whatever this says:
         * {@link FileLockHold#isValid()}, an ERROR log and {@link FileLockDiagnostics#lostHolds()}.
         */
        public Builder interruptOnLoss(Collection<String> names) {
            Objects.requireNonNull(names, "names must not be null");
            for (String name : names) {
                if (name == null || name.isBlank()) {
                    throw new IllegalArgumentException("interruptOnLoss names must not be blank, got " + names);
                }
            }
            this.interruptOnLoss = Set.copyOf(names);
            return this;
        }

        /**
         * Whether each fencing token ({@link FileLockHold#fencingToken()}) is flushed to disk (fsync) before it is
         * returned, so that the count survives a crash of the host, not only of the process; off by default, since a
         * token then costs a disk flush. Without it, a host crash may lose the last tokens given: a restarted host
         * could give one of them again. Applies to this registry's holds, on any backend (postgres commits its count
         * anyway).
         */
        public Builder syncFencingTokens(boolean sync) {
            this.syncFencingTokens = sync;
            return this;
        }

        public Builder maxOpenFiles(int maxOpenFiles) {
            if (maxOpenFiles < 1) {
                throw new IllegalArgumentException("maxOpenFiles must be at least 1, was " + maxOpenFiles);
            }
            this.maxOpenFiles = maxOpenFiles;
            return this;
        }

        /**
         * How many platform threads this JVM blocks in waits for busy locks per directory (or backend), one per name
         * and mode waited for; default max(16, 4 x cores). Virtual-thread callers never block in the kernel
         * themselves, so they are never pinned. A platform-thread caller of a flock lock on Linux, on a local file
         * system (ext4, xfs, btrfs, tmpfs, ...; not FUSE or network ones, whose flock a signal may not end), blocks
         * in {@code flock} itself (stopped by the JDK's own I/O interrupt signal at its deadline, interrupt or drain)
         * and takes no wait thread; {@code -Dfilelock.flock.callerWaits=false} turns that off. Waits beyond the bound
         * are polled without blocking on one shared thread, every 1 ms backing off to every 50 ms, until a wait
         * thread frees; they see a release up to 50 ms late. The first registry on a directory sets it, as
         * {@link #maxOpenFiles}.
         */
        public Builder maxWaitThreads(int maxWaitThreads) {
            if (maxWaitThreads < 1) {
                throw new IllegalArgumentException("maxWaitThreads must be at least 1, was " + maxWaitThreads);
            }
            this.maxWaitThreads = maxWaitThreads;
            return this;
        }

        /**
         * Deletes a lock file when its idle descriptor is closed, so a service that locks millions of
         * distinct names keeps the directory small. Off by default: it is safe among processes that use this
         * library (each checks after locking that its file is still linked), but a tool that does not check,
         * such as {@code flock(1)} or Python filelock, may lock a deleted file if it opens the path in the
         * instant before the deletion. Turn it on only for names that such tools do not share.
         */
        public Builder deleteIdleLockFiles(boolean delete) {
            this.deleteIdleLockFiles = delete;
            fileSettingsChanged = true;
            return this;
        }

        /**
         * Uses a lock directory that fails the trust check of {@link #build()} anyway (with a WARN); default off.
         * Only for file systems whose owners and modes mean nothing, such as CIFS with {@code dir_mode=0777}, some
         * FUSE file systems or NFS with squashed owners. It gives up the protection: lock files, soft markers and
         * holder records there are believed as found, so anyone who can write the directory can hold or delete
         * lock files, break or plant soft markers, and forge who a holder is.
         */
        public Builder trustSharedDirectory(boolean trust) {
            this.trustSharedDirectory = trust;
            fileSettingsChanged = true;
            return this;
        }

        /**
         * Creates the registry: creates the directory (owner-only) if missing, and checks that it is a
         * writable directory that no one else controls. The directory and each parent up to {@code /} must be
         * owned by this user or root, and writable only by its owner or a group of this process; a sticky parent
         * (such as {@code /tmp}) may be writable by everyone. The real path is
         * judged, and each symlink on the way must belong to this user or root.
         *
         * @throws UntrustedLockDirectoryException naming the path and the rule it breaks, unless
         *         {@link #trustSharedDirectory(boolean)} is set
         * @throws FileLockException naming the directory and the cause when it cannot be used
         * @throws MixedLockTypesException on Linux and macOS, when this JVM already uses the directory with SOFT
         *     locks and this registry would use FILE_CHANNEL, or the other way round: a soft registry's closes of
         *     lock files would drop the fcntl locks. Use FLOCK, or another directory for the soft-locked names
         * @throws UnsupportedOperationException when native flock cannot be loaded and the FileChannel fallback is
         *     refused ({@link #allowFileChannelFallback})
         */
        public FileLockRegistry build() {
            if (backend != null) {
                if (fileSettingsChanged) {
                    throw new IllegalStateException("This registry runs on the " + backend.type() + " backend ("
                            + backend.location() + "), which has no lock files: type, filePermissions, soft timings,"
                            + " deleteIdleLockFiles, trustSharedDirectory and allowFileChannelFallback do not apply."
                            + " Configure the backend itself instead.");
                }
                return withLossPolicy(new FileLockRegistry(LockSpace.standalone(backend, maxOpenFiles,
                        maxWaitThreads), syncFencingTokens));
            }
            if (softLease.compareTo(softHeartbeat.multipliedBy(2)) <= 0) {
                throw new IllegalArgumentException("softLease (" + softLease.toMillis() + " ms) must be more than"
                        + " twice softHeartbeat (" + softHeartbeat.toMillis() + " ms): a holder refreshes its marker"
                        + " every heartbeat, so a shorter lease lets contenders break the marker of a live holder"
                        + " that missed one beat. Raise softLease or lower softHeartbeat.");
            }
            if (softStaleThreshold.compareTo(softHeartbeat) <= 0) {
                throw new IllegalArgumentException("softStaleThreshold (" + softStaleThreshold.toMillis() + " ms) must"
                        + " exceed softHeartbeat (" + softHeartbeat.toMillis() + " ms), or soft-rw markers of live"
                        + " holders get evicted. Raise softStaleThreshold or lower softHeartbeat.");
            }
            Path real = LockDirectoryValidator.prepare(directory, trustSharedDirectory);
            SoftSettings soft = new SoftSettings(softHeartbeat, softLease, softPollInterval, softStaleThreshold);
            FileSettings files = new FileSettings(real, filePermissions, deleteIdleLockFiles);
            // Unset and AUTO join what this JVM already uses on the directory; SOFT keeps its space apart from flock.
            LockSpace shared = FileSpaces.attach(real, type,
                    () -> TypeSelector.select(type, files, soft, fileChannelFallback), maxOpenFiles, maxWaitThreads);
            return withLossPolicy(new FileLockRegistry(shared, syncFencingTokens));
        }

        private FileLockRegistry withLossPolicy(FileLockRegistry registry) {
            Set<String> names = interruptOnLoss;
            if (!names.isEmpty()) {
                registry.engine.interruptOnLoss(lock -> names.contains(lock)
                        || lock.indexOf(':') > 0 && names.contains(lock.substring(0, lock.lastIndexOf(':'))));
            }
            return registry;
        }
    }
}
