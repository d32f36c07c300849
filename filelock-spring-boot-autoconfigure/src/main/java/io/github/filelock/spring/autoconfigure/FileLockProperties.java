package io.github.filelock.spring.autoconfigure;

import io.github.filelock.LockType;
import io.github.filelock.spring.aop.FileLockedAdvisor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** Settings for {@code @FileLocked} and the {@code FileLockRegistry} behind it. */
@ConfigurationProperties(prefix = "filelock")
public class FileLockProperties {

    /** Whether to enable @FileLocked and the FileLockRegistry auto-configuration. */
    private boolean enabled = true;

    /**
     * Directory that holds the lock files; every process that should exclude another must use the same one.
     * Created (owner-only) if missing, and refused at start-up if a user other than this one (or root), or a group
     * this process is not in, could write it or a parent. Default: $XDG_RUNTIME_DIR/filelock/<app> where
     * $XDG_RUNTIME_DIR exists and is this user's, else ${java.io.tmpdir}/filelock-<uid>/<app>, where <app> is
     * spring.application.name, or "application" when no name is set.
     */
    private @Nullable Path dir;

    /**
     * Whether to use a lock directory that fails the start-up ownership and permission check anyway (with a WARN).
     * Only for mounts whose permissions mean nothing (CIFS with dir_mode=0777, some FUSE file systems, NFS with
     * squashed owners): anyone who can write the directory can then hold or delete lock files, and break, plant or
     * forge soft markers and holder records.
     */
    private boolean trustSharedDirectory = false;

    /**
     * How long a @FileLocked method waits for its lock when neither the annotation nor
     * filelock.locks.<name>.timeout sets a timeout. 0 makes one attempt; a negative value waits forever.
     * Bounded by default so that a stuck holder surfaces as an error instead of hanging request threads.
     */
    private Duration defaultTimeout = Duration.ofSeconds(30);

    /** Permissions of new lock files, as ls -l prints them. */
    private String filePermissions = "rw-r--r--";

    /**
     * Whether to start with FileChannel (fcntl) locks when native flock(2) cannot be loaded (no JNA, or an
     * unsupported architecture). Off: start-up fails instead, because fcntl locks do not exclude flock(1) or Python
     * filelock on the same lock files. Setting filelock.type=file-channel needs no opt-in.
     */
    private boolean allowFileChannelFallback = false;

    /**
     * Type of lock for every name without its own filelock.locks.<name>.type: flock (kernel locks, freed when a
     * process dies: flock(2) on Linux and macOS, FileChannel locks on Windows), file-channel (java.nio FileChannel
     * locks, fcntl on POSIX: they do not exclude flock(1) or Python filelock), soft (marker files as Python's
     * SoftFileLock writes them, for NFS, SMB and FUSE mounts where flock lies; exclusive only), soft-lease (markers
     * with a heartbeat lease, as Python's SoftFileLease writes them), strict-soft (Python's StrictSoftFileLock:
     * hard-link claims, never broken by age; a crashed holder needs an operator break), soft-rw (read/write soft locks
     * as Python's SoftReadWriteLock: SHARED reads, EXCLUSIVE writes) or auto (flock unless the lock directory's file
     * system refuses flock, then soft).
     */
    private LockType type = LockType.FLOCK;

    /** Soft-lock timing (filelock.type=soft, or per name). */
    private final Soft soft = new Soft();

    /** Fencing tokens (FileLockHold.fencingToken()). */
    private final Fencing fencing = new Fencing();

    /** How many idle lock files the JVM keeps open per directory, to skip re-opening recently used ones. */
    private int maxOpenFiles = 256;

    /**
     * How many platform threads block in waits for busy locks per directory, one per name and mode waited for (unset:
     * max(16, 4 x cores)). Waits beyond it are polled without blocking, up to 50 ms apart, until a thread frees.
     */
    private Integer maxWaitThreads;

    /**
     * Whether to delete a lock file when its idle descriptor is closed. Keeps a directory of many per-key locks
     * small; leave off if flock(1) or Python filelock share the same lock names.
     */
    private boolean deleteIdleLockFiles = false;

    /**
     * Order of the @FileLocked advisor among other advisors; lower runs outside. The default runs outside
     * @Transactional and @Cacheable (both at Ordered.LOWEST_PRECEDENCE by default), so the lock is taken before
     * a transaction begins and released after it commits.
     */
    private int advisorOrder = FileLockedAdvisor.DEFAULT_ORDER;

    /**
     * Per-name settings, keyed by the @FileLocked name (without the key part): timeout, type and hold-at-least, e.g.
     * filelock.locks.embeddings.timeout=2m or filelock.locks.nightly-sync.hold-at-least=10s.
     */
    private Map<String, Lock> locks = new LinkedHashMap<>();

    /** The timeout for a lock name whose annotation sets none: its own entry in {@link #locks}, else the default. */
    public Duration timeoutFor(String name) {
        Lock lock = locks.get(name);
        Duration own = lock != null ? lock.getTimeout() : null;
        return own != null ? own : defaultTimeout;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public @Nullable Path getDir() {
        return dir;
    }

    public void setDir(@Nullable Path dir) {
        this.dir = dir;
    }

    public boolean isTrustSharedDirectory() {
        return trustSharedDirectory;
    }

    public void setTrustSharedDirectory(boolean trustSharedDirectory) {
        this.trustSharedDirectory = trustSharedDirectory;
    }

    public Duration getDefaultTimeout() {
        return defaultTimeout;
    }

    public void setDefaultTimeout(Duration defaultTimeout) {
        this.defaultTimeout = defaultTimeout;
    }

    public String getFilePermissions() {
        return filePermissions;
    }

    public void setFilePermissions(String filePermissions) {
        this.filePermissions = filePermissions;
    }

    public boolean isAllowFileChannelFallback() {
        return allowFileChannelFallback;
    }

    public void setAllowFileChannelFallback(boolean allowFileChannelFallback) {
        this.allowFileChannelFallback = allowFileChannelFallback;
    }

    public LockType getType() {
        return type;
    }

    public void setType(LockType type) {
        this.type = type;
    }

    /** The minimum hold time for a lock name whose annotation sets none: its own entry in {@link #locks}, else none. */
    public Duration holdAtLeastFor(String name) {
        Lock lock = locks.get(name);
        Duration own = lock != null ? lock.getHoldAtLeast() : null;
        return own != null ? own : Duration.ZERO;
    }

    /** The type of lock for a name: its own filelock.locks.<name>.type, else filelock.type. */
    public LockType typeFor(String name) {
        Lock lock = locks.get(name);
        LockType own = lock != null ? lock.getType() : null;
        return own != null ? own : type;
    }

    public Soft getSoft() {
        return soft;
    }

    public Fencing getFencing() {
        return fencing;
    }

    public int getMaxOpenFiles() {
        return maxOpenFiles;
    }

    public void setMaxOpenFiles(int maxOpenFiles) {
        this.maxOpenFiles = maxOpenFiles;
    }

    public Integer getMaxWaitThreads() {
        return maxWaitThreads;
    }

    public void setMaxWaitThreads(Integer maxWaitThreads) {
        this.maxWaitThreads = maxWaitThreads;
    }

    public boolean isDeleteIdleLockFiles() {
        return deleteIdleLockFiles;
    }

    public void setDeleteIdleLockFiles(boolean deleteIdleLockFiles) {
        this.deleteIdleLockFiles = deleteIdleLockFiles;
    }

    public int getAdvisorOrder() {
        return advisorOrder;
    }

    public void setAdvisorOrder(int advisorOrder) {
        this.advisorOrder = advisorOrder;
    }

    public Map<String, Lock> getLocks() {
        return locks;
    }

    public void setLocks(Map<String, Lock> locks) {
        this.locks = locks;
    }

    /** Settings for one lock name. */
    public static class Lock {

        /** How long methods locking this name wait, when their annotation sets no timeout. */
        private @Nullable Duration timeout;

        /**
         * Type of lock for this name (flock, file-channel, soft, soft-lease, strict-soft, soft-rw or auto),
         * overriding filelock.type. Never lock one name with two types: they do not exclude each other.
         */
        private @Nullable LockType type;

        /**
         * Keep this name's lock after a @FileLocked method returns until this much time has passed since it was
         * acquired (the caller is not delayed), when the annotation sets no holdAtLeast. For scheduled jobs with
         * timeout 0 and SKIP on several instances: a short run keeps the others' triggers of the same tick out.
         */
        private @Nullable Duration holdAtLeast;

        /**
         * Whether to interrupt the thread of a synchronous @FileLocked method of this name when its lock is found lost
         * while it runs (a soft-lease marker broken after its lease, an ended postgres session). Off: the loss is
         * reported (CurrentFileLock.get().isValid(), FileLockListener lost, filelock.lost, an ERROR log) and the
         * method runs on. Covers the name's keys.
         */
        private boolean interruptOnLoss;

        public boolean isInterruptOnLoss() {
            return interruptOnLoss;
        }

        public void setInterruptOnLoss(boolean interruptOnLoss) {
            this.interruptOnLoss = interruptOnLoss;
        }

        public @Nullable Duration getHoldAtLeast() {
            return holdAtLeast;
        }

        public void setHoldAtLeast(@Nullable Duration holdAtLeast) {
            this.holdAtLeast = holdAtLeast;
        }

        public @Nullable LockType getType() {
            return type;
        }

        public void setType(@Nullable LockType type) {
            this.type = type;
        }

        public @Nullable Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(@Nullable Duration timeout) {
            this.timeout = timeout;
        }
    }

    /** Fencing tokens. */
    public static class Fencing {

        /**
         * Whether each fencing token is flushed to disk (fsync of its .fence file) before it is returned, so that the
         * count survives a crash of the host, not only of the process. Costs a disk flush per token.
         */
        private boolean fsync;

        public boolean isFsync() {
            return fsync;
        }

        public void setFsync(boolean fsync) {
            this.fsync = fsync;
        }
    }

    /** Soft-lock timing. */
    public static class Soft {

        /**
         * How often a soft-lease holder checks that its marker is still its own and refreshes the marker's mtime. Must
         * be less than half the lease; a third of it (Python SoftFileLease's default) leaves room for two missed beats.
         */
        private Duration heartbeat = Duration.ofSeconds(10);

        /**
         * The soft-lease lease: a lease marker not refreshed for this long is broken by the next contender, which then
         * holds the lock even if the old holder still runs. Written into every marker, and every process locking the
         * name (Java or Python SoftFileLease lease_duration, default 30) must use the same value. Keep it longer than
         * the longest pause (GC, a stalled mount) and the clock skew between hosts.
         * For soft-rw, the stale threshold: a reader or writer marker not refreshed for this long is evicted.
         */
        private Duration lease = Duration.ofSeconds(30);

        /**
         * The longest pause between a soft, soft-lease or strict-soft wait's tries (soft-rw waits back off to a fixed
         * 50 ms): a waiter learns of a release at its next try. A wait first retries after 5 ms and
         * doubles its pause up to this. Shorter hands a long-held lock over sooner and costs more file system calls
         * (on NFS, server round trips).
         */
        private Duration pollInterval = Duration.ofMillis(25);

        public Duration getPollInterval() {
            return pollInterval;
        }

        public void setPollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
        }

        public Duration getHeartbeat() {
            return heartbeat;
        }

        public void setHeartbeat(Duration heartbeat) {
            this.heartbeat = heartbeat;
        }

        public Duration getLease() {
            return lease;
        }

        public void setLease(Duration lease) {
            this.lease = lease;
        }
    }
}
