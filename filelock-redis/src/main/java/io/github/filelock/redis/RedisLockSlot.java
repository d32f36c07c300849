package io.github.filelock.redis;

import io.github.filelock.LockHolder;
import io.github.filelock.LockMode;
import io.github.filelock.spi.LockSlot;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.redisson.api.RLock;
import org.redisson.api.RReadWriteLock;
import org.redisson.api.RScript;
import org.redisson.client.codec.StringCodec;

/**
 * One name's Redisson read/write lock: its write lock for EXCLUSIVE, its read lock for SHARED, never another kind of
 * lock on the key.
 *
 * <p><b>Ownership.</b> Redisson ties a hold to a thread id, but the engine takes and lets go of a lock on whatever
 * thread it likes (its wait threads, detached and async holds). So every attempt runs under an owner id of its own
 * from {@link RedisLockBackend#nextOwner()}, given explicitly to Redisson's {@code (…, threadId)} methods and kept
 * with the hold for the release. A fresh id per attempt also keeps an abandoned wait, which stops at its next wake-up
 * (and releases by itself a grant already on its way), from ever touching a later hold of this slot.
 *
 * <p><b>Loss.</b> From the grant on, a check reads the lock's remaining TTL every third of the lease, if the hold's
 * field is still there (for a reader, the shorter of it and its own timeout key's, which is its lease). Until it
 * knows better, the hold is valid for the lease from when the grant was seen; each check moves that bound to the time
 * it was sent plus the TTL it read. The field gone (the key deleted, expired, or taken by another) or a reader's
 * timeout key gone declares the hold lost, and so does a failed check past the bound.
 */
final class RedisLockSlot implements LockSlot {

    // A reader's lease is its own timeout key (KEYS[2]), not the hash, which any other reader's watchdog renews:
    // Redisson's next reader to leave deletes the hash once every remaining reader's timeout key is gone.
    private static final String CHECK = "if redis.call('hexists', KEYS[1], ARGV[1]) == 0 then return -3 end; "
            + "local ttl = redis.call('pttl', KEYS[1]); "
            + "if #KEYS > 1 then local own = redis.call('pttl', KEYS[2]); "
            + "if own == -2 then return -3 end; if own >= 0 and (ttl < 0 or own < ttl) then ttl = own end end; "
            + "return ttl";
    private static final long GONE = -3;
    // Free for this mode (ARGV[1] = 1 for SHARED, where a read-mode lock admits it too): publish Redisson's
    // READ_UNLOCK_MESSAGE (1), which runs every waiting listener.
    private static final String NUDGE = "local mode = redis.call('hget', KEYS[1], 'mode'); "
            + "if (mode == false) or (ARGV[1] == '1' and mode == 'read') then "
            + "return redis.call('publish', KEYS[2], '1') end; return -1";
    /** How long a waiter trusts the release message before it looks at the lock itself. */
    static final long NUDGE_MILLIS = 250;

    private final RedisLockBackend backend;
    private final RedisKeys keys;
    private final RReadWriteLock lock;
    private final Runnable onLoss;

    private volatile @Nullable LockMode held; // null when nothing is held
    private volatile long owner;
    private volatile long validUntil; // System.nanoTime() until which the lease is known to run
    private final AtomicBoolean lost = new AtomicBoolean();
    private @Nullable ScheduledFuture<?> checks; // guarded by this
    private CompletionStage<?> described = CompletableFuture.completedFuture(null);
    private boolean recordWritten;

    // An abandon() belongs to the lock() call running, or the next one (see LockSlot#abandon).
    private volatile boolean abandoned;
    private volatile @Nullable CompletableFuture<Boolean> waiting;

    RedisLockSlot(RedisLockBackend backend, RedisKeys keys, RReadWriteLock lock, Runnable onLoss) {
        this.backend = backend;
        this.keys = keys;
        this.lock = lock;
        this.onLoss = onLoss;
    }

    @Override
    public boolean tryLock(LockMode mode) throws IOException {
        long id = backend.nextOwner();
        boolean granted = Awaits.await(lockOf(mode).tryLockAsync(id), "try to lock " + where(mode));
        if (granted) {
            granted(mode, id);
        }
        return granted;
    }

    @Override
    public boolean lock(LockMode mode) throws IOException {
        try {
            if (abandoned) {
                return false;
            }
            long id = backend.nextOwner();
            // Redisson subscribes to the lock's channel and tries again on each release message; the nudge below
            // only covers a message it missed.
            CompletableFuture<Boolean> wait = waitFor(mode, id);
            while (true) {
                try {
                    if (wait.get(NUDGE_MILLIS, TimeUnit.MILLISECONDS)) {
                        break;
                    }
                    wait = waitFor(mode, id); // that stretch of waiting ran out: another
                } catch (TimeoutException e) {
                    nudge(mode);
                } catch (CancellationException e) {
                    return false; // Redisson releases a grant that comes after the cancel by itself
                } catch (ExecutionException e) {
                    throw Awaits.failure("wait for " + where(mode), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("Interrupted while waiting for " + where(mode), e);
                }
            }
            granted(mode, id);
            return true;
        } finally {
            waiting = null;
            if (held == null) {
                abandoned = false; // consumed by this call; one after a grant is cleared by unlock()
            }
        }
    }

    // A bounded tryLockAsync, not lockAsync: a lockAsync whose future was cancelled keeps waiting and takes the lock
    // at a later release only to let it go, while a cancelled tryLockAsync stops at its next wake-up.
    private CompletableFuture<Boolean> waitFor(LockMode mode, long id) {
        CompletableFuture<Boolean> wait = lockOf(mode).tryLockAsync(backend.lease().toMillis(), -1,
                TimeUnit.MILLISECONDS, id).toCompletableFuture();
        waiting = wait;
        if (abandoned) {
            wait.cancel(false);
        }
        return wait;
    }

    // Redisson wakes an async waiter of a write lock's release through listeners that run when the message arrives;
    // a waiter that registers its listener just after that misses it and sleeps until the lease would end. So while
    // the lock looks free to this waiter's mode, it sends the release message again.
    private void nudge(LockMode mode) {
        backend.client().getScript(StringCodec.INSTANCE).evalAsync(keys.lock(), RScript.Mode.READ_WRITE, NUDGE,
                RScript.ReturnType.LONG, List.of(keys.lock(), keys.channel()), mode == LockMode.SHARED ? "1" : "0");
    }

    @Override
    public void abandon() {
        abandoned = true;
        CompletableFuture<Boolean> wait = waiting;
        if (wait != null) {
            wait.cancel(false);
        }
    }

    private void granted(LockMode mode, long id) {
        synchronized (this) {
            owner = id;
            validUntil = System.nanoTime() + backend.lease().toNanos();
            lost.set(false);
            held = mode;
            recordWritten = false;
            long every = Math.max(1, backend.lease().toMillis() / 3);
            try {
                checks = backend.timer().scheduleWithFixedDelay(() -> check(id), every, every, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // the backend is closing
            }
        }
    }

    private void check(long id) {
        LockMode mode = held;
        if (mode == null || owner != id || lost.get()) {
            return;
        }
        long sentAt = System.nanoTime();
        CompletionStage<Long> reply = backend.client().getScript(StringCodec.INSTANCE).evalAsync(keys.lock(),
                RScript.Mode.READ_ONLY, CHECK, RScript.ReturnType.LONG, checked(mode, id), field(mode, id));
        reply.whenComplete((ttl, error) -> {
            if (error != null) {
                if (System.nanoTime() - validUntil >= 0) {
                    declareLost(id, "Redis has not confirmed the lease within its length ("
                            + backend.lease().toMillis() + " ms): " + error.getMessage());
                }
                return;
            }
            if (ttl == GONE) {
                declareLost(id, "the lock was gone from Redis (expired, deleted, or lost in a failover)");
                return;
            }
            confirmed(id, mode, sentAt, ttl);
        });
    }

    private synchronized void confirmed(long id, LockMode mode, long sentAt, long ttl) {
        if (owner != id || held == null) {
            return;
        }
        validUntil = ttl < 0 ? Long.MAX_VALUE : sentAt + TimeUnit.MILLISECONDS.toNanos(ttl);
        if (recordWritten && ttl > 0 && mode == LockMode.EXCLUSIVE) {
            backend.records().expire(keys, backend.recordOwner(id), ttl);
        }
    }

    private void declareLost(long id, String why) {
        synchronized (this) {
            if (held == null || owner != id || !lost.compareAndSet(false, true)) {
                return; // released meanwhile, or already reported
            }
            stopChecks();
        }
        backend.lossSeen(keys, why);
        onLoss.run();
    }

    @Override
    public void unlock() throws IOException {
        LockMode mode;
        long id;
        boolean wasLost;
        CompletionStage<?> record;
        boolean hadRecord;
        synchronized (this) {
            mode = held;
            id = owner;
            held = null;
            wasLost = lost.getAndSet(false); // nothing held is valid again
            stopChecks();
            record = described;
            hadRecord = recordWritten;
            recordWritten = false;
        }
        abandoned = false;
        if (mode == null) {
            return;
        }
        CompletionStage<?> removed = CompletableFuture.completedFuture(null);
        if (hadRecord) {
            // After its write, which may still be on its way; and only if the record is still this hold's
            String recordOwner = backend.recordOwner(id);
            removed = record.handle((r, e) -> backend.records().remove(keys, recordOwner)).thenCompose(r -> r);
        }
        try {
            Awaits.await(lockOf(mode).unlockAsync(id), "release " + where(mode));
            awaitQuietly(removed); // sent with the release, so it costs no round trip of its own
        } catch (IOException e) {
            if (wasLost || e.getCause() instanceof IllegalMonitorStateException) {
                if (wasLost) {
                    return; // reported when it was found; nothing left to release
                }
                throw new IOException("Could not release " + where(mode) + ": the lease had already ended ("
                        + backend.lease().toMillis() + " ms), so another process may have held it meanwhile", e);
            }
            throw e;
        }
    }

    private void awaitQuietly(CompletionStage<?> removed) {
        try {
            removed.toCompletableFuture().join();
        } catch (RuntimeException e) {
            // the record expires with its TTL; a failed removal never fails a release
        }
    }

    /** Writes the holder record beside the lock, without waiting: failing to publish never costs the lock. */
    @Override
    public void describeHolder(LockHolder holder) {
        synchronized (this) {
            if (held != LockMode.EXCLUSIVE) {
                return;
            }
            recordWritten = true;
            described = backend.records().write(keys, backend.recordOwner(owner), holder,
                    backend.lease().toMillis());
        }
    }

    @Override
    public boolean isValid() {
        return !lost.get() && (held == null || System.nanoTime() - validUntil < 0);
    }

    @Override
    public void close() {
        synchronized (this) {
            stopChecks();
            held = null;
        }
    }

    private void stopChecks() {
        if (checks != null) {
            checks.cancel(false);
            checks = null;
        }
    }

    private RLock lockOf(LockMode mode) {
        return mode == LockMode.SHARED ? lock.readLock() : lock.writeLock();
    }

    /** The keys a check reads: the lock's hash, and for a reader its own lease (Redisson's first timeout key). */
    private List<Object> checked(LockMode mode, long id) {
        if (mode == LockMode.EXCLUSIVE) {
            return List.of(keys.lock());
        }
        String lock = keys.lock();
        String prefix = lock.contains("{") ? lock + ":" : "{" + lock + "}:";
        return List.of(lock, prefix + field(mode, id) + ":rwlock_timeout:1");
    }

    /** The field of a hold in Redisson's lock hash. */
    private String field(LockMode mode, long id) {
        return backend.clientId() + ":" + id + (mode == LockMode.EXCLUSIVE ? ":write" : "");
    }

    private String where(LockMode mode) {
        return keys + " (" + mode + ") at " + backend.location();
    }

    @Override
    public String toString() {
        return "redis slot of " + keys;
    }
}
