package io.github.filelock.benchmarks.handoff;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockType;
import io.github.filelock.benchmarks.HolderFileCalls;
import io.github.filelock.benchmarks.NativeFlock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One side of the cross-process ping-pong, in its own JVM. Peer p takes acquisitions p, p+2, p+4 ... of
 * one lock. Before each, it waits until the other peer holds the previous one, says it is about to wait,
 * and calls {@code acquire}. The holder waits for that signal, holds a little longer (a random
 * {@code hold .. hold + jitter} microseconds, so the waiter is surely blocked in the kernel and a polling
 * waiter is caught at a random phase), stamps the time and releases. The waiter's sample is its acquire
 * time minus that stamp.
 *
 * <p>Arguments: peer (0 or 1), lock dir, board file, acquisitions per peer, hold microseconds, jitter
 * microseconds, output file, and the lock: {@code registry} ({@code FileLockRegistry}; {@code registry-helper}: its
 * waits in a helper thread, {@code -Dfilelock.flock.callerWaits=false}), {@code registry-soft}
 * (the same with {@code LockType.SOFT}; {@code registry-soft:<ms>} with that soft poll interval), {@code bare} (a
 * blocking {@code flock(LOCK_EX)} on an open descriptor in the calling thread: the kernel's own wake-up
 * time, the floor for any flock-based hand-off), {@code bare-checked} (the same, then a {@code statx} of the lock
 * file's path and a holder record's {@code pwrite} and {@code statx}, as the registry makes after each wake-up: the
 * floor of a flock lock that checks its file and names its holder) or {@code bare-helper} (the same call made by a
 * helper thread while the caller waits on a future, as a lock with timeouts must: the cost of that second wake-up,
 * without any of the registry's bookkeeping), {@code pg-registry} ({@code FileLockRegistry} on the starter's
 * PostgreSQL backend), {@code pg-bare} ({@code pg_advisory_lock} on one JDBC connection: the
 * server's wake-up, the floor for a PostgreSQL hand-off), {@code pg-jdbc-registry} (Spring Integration's
 * {@code JdbcLockRegistry}, which polls a lock row), and the Redis ones of {@link RedisLocks}: {@code redis-registry},
 * {@code redis-bare}, {@code redis-lock-registry}.
 */
public final class JavaHandOffPeer {

    static final String LOCK_NAME = "ping-pong";

    private JavaHandOffPeer() {
    }

    /** The lock under test, reduced to what the ping-pong needs. */
    interface PingPongLock extends AutoCloseable {
        void lock();

        void unlock();

        @Override
        void close() throws IOException;
    }

    public static void main(String[] args) throws IOException {
        int peer = Integer.parseInt(args[0]);
        Path lockDir = Path.of(args[1]);
        Path boardFile = Path.of(args[2]);
        int rounds = Integer.parseInt(args[3]);
        long holdNanos = Long.parseLong(args[4]) * 1000;
        long jitterNanos = Long.parseLong(args[5]) * 1000;
        Path out = Path.of(args[6]);
        int other = 1 - peer;
        long lastAcquisition = 2L * rounds - 1;
        long[] samples = new long[rounds];
        int n = 0;
        try (PingPongLock lock = open(args[7], lockDir); HandOffBoard board = HandOffBoard.open(boardFile)) {
            for (int i = 0; i < rounds; i++) {
                long k = 2L * i + peer;
                board.awaitAcquisitions(k);
                board.setWaiting(peer, true);
                lock.lock();
                long acquiredAt = System.nanoTime();
                if (k > 0) {
                    samples[n++] = acquiredAt - board.releaseStamp();
                }
                board.setWaiting(peer, false);
                board.setAcquisitions(k + 1);
                if (k < lastAcquisition) {
                    board.awaitWaiting(other);
                    LockSupport.parkNanos(holdNanos + ThreadLocalRandom.current().nextLong(jitterNanos + 1));
                }
                board.stampRelease(System.nanoTime());
                lock.unlock();
            }
        }
        HandOffSamples.write(out, java.util.Arrays.copyOf(samples, n));
    }

    private static final String SOFT_POLL = "registry-soft:";

    static PingPongLock open(String kind, Path lockDir) throws IOException {
        return switch (kind) {
            case "registry" -> registryLock(lockDir, LockType.FLOCK);
            case "registry-helper" -> helperWaitLock(lockDir);
            case "registry-soft" -> registryLock(lockDir, LockType.SOFT);
            case "bare" -> bareLock(lockDir, false);
            case "bare-helper" -> bareLock(lockDir, true);
            case "bare-checked" -> checkedBareLock(lockDir);
            case "pg-bare" -> PostgresLocks.bare(postgresName(lockDir));
            case "pg-jdbc-registry" -> PostgresLocks.jdbcLockRegistry(LOCK_NAME, postgresName(lockDir));
            case "pg-registry" -> PostgresLocks.registry("filelock-bench-" + lockDir.getParent().getFileName(),
                    LOCK_NAME);
            case "redis-registry" -> RedisLocks.registry(redisPrefix(lockDir), LOCK_NAME);
            case "redis-bare" -> RedisLocks.bare(redisPrefix(lockDir) + LOCK_NAME);
            case "redis-lock-registry" -> RedisLocks.redisLockRegistry(redisPrefix(lockDir), LOCK_NAME);
            default -> {
                if (kind.startsWith(SOFT_POLL)) { // registry-soft:<poll interval in ms>
                    double millis = Double.parseDouble(kind.substring(SOFT_POLL.length()));
                    yield softLock(lockDir, Duration.ofNanos((long) (millis * 1e6)));
                }
                throw new IllegalArgumentException("lock kind must be registry, registry-helper,"
                        + " registry-soft[:<poll ms>], bare, bare-checked, bare-helper, pg-registry, pg-bare,"
                        + " pg-jdbc-registry,"
                        + " redis-registry, redis-bare or redis-lock-registry, was " + kind);
            }
        };
    }

    // A name of this run's own (its directory is fresh), so two runs on one database never share a lock.
    private static String postgresName(Path lockDir) {
        return "filelock-bench/" + lockDir.getParent().getFileName() + "/" + LOCK_NAME;
    }

    // Keys of this run's own (its directory is fresh), so two runs on one server never share a lock.
    private static String redisPrefix(Path lockDir) {
        return "filelock-bench-" + lockDir.getParent().getFileName() + ":";
    }

    private static PingPongLock registryLock(Path lockDir, LockType type) {
        return registryLock(FileLockRegistry.builder(lockDir).type(type).build());
    }

    // The registry with waits in a helper thread, as before issue 16's caller waits: read once, before first use.
    private static PingPongLock helperWaitLock(Path lockDir) {
        System.setProperty("filelock.flock.callerWaits", "false");
        return registryLock(lockDir, LockType.FLOCK);
    }

    private static PingPongLock softLock(Path lockDir, Duration pollInterval) {
        return registryLock(FileLockRegistry.builder(lockDir).type(LockType.SOFT).softPollInterval(pollInterval)
                .build());
    }

    private static PingPongLock registryLock(FileLockRegistry locks) {
        return new PingPongLock() {
            private io.github.filelock.FileLockHold hold;

            @Override
            public void lock() {
                hold = locks.acquire(LOCK_NAME, Duration.ofSeconds(60));
            }

            @Override
            public void unlock() {
                hold.close();
            }

            @Override
            public void close() {
                locks.close();
            }
        };
    }

    private static PingPongLock checkedBareLock(Path lockDir) throws IOException {
        Files.createDirectories(lockDir);
        Path file = lockDir.resolve(LOCK_NAME + ".lock");
        int fd = NativeFlock.openForLocking(file);
        HolderFileCalls calls = new HolderFileCalls(file, fd, LOCK_NAME);
        return new PingPongLock() {
            @Override
            public void lock() {
                NativeFlock.lockExclusive(fd);
                calls.afterGrant();
            }

            @Override
            public void unlock() {
                NativeFlock.unlock(fd);
            }

            @Override
            public void close() {
                NativeFlock.closeFd(fd);
            }
        };
    }

    private static PingPongLock bareLock(Path lockDir, boolean viaHelperThread) throws IOException {
        Files.createDirectories(lockDir);
        int fd = NativeFlock.openForLocking(lockDir.resolve(LOCK_NAME + ".lock"));
        ExecutorService helper = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "flock-helper");
            t.setDaemon(true);
            return t;
        });
        return new PingPongLock() {
            @Override
            public void lock() {
                if (!viaHelperThread) {
                    NativeFlock.lockExclusive(fd);
                    return;
                }
                try {
                    CompletableFuture.runAsync(() -> NativeFlock.lockExclusive(fd), helper).get(60, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException("helper flock failed", e);
                }
            }

            @Override
            public void unlock() {
                NativeFlock.unlock(fd);
            }

            @Override
            public void close() {
                helper.shutdown();
                NativeFlock.closeFd(fd);
            }
        };
    }
}
