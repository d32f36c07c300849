package io.github.filelock;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * One hold of a named lock. Closing it releases this one hold; closing twice is a no-op. Who may close it depends
 * on how it was taken ({@link #isThreadBound()}):
 * <ul>
 *   <li><b>Thread-bound</b> ({@code acquire}, {@code acquireShared}, {@code tryAcquire}, {@code executeLocked}):
 *       it belongs to the thread that took it, is reentrant, and the lock is released when that thread's last
 *       hold is closed. Only that thread may close it; any other gets {@link IllegalMonitorStateException}.</li>
 *   <li><b>Detached</b> ({@code acquireAsync}, {@code tryAcquireAsync}): it belongs to no thread, so async work
 *       can close it on whichever thread finishes. Any thread may close it, once; it is not reentrant.</li>
 * </ul>
 */
public interface FileLockHold extends AutoCloseable {

    /** The lock name as given by the caller. */
    String name();

    /** The lock file inside the lock directory. */
    Path file();

    /** When this JVM took the lock for the current owner (not when this nested hold was taken). */
    Instant acquiredAt();

    /** The lock mode of this hold. */
    LockMode mode();

    /**
     * Whether this hold belongs to the thread that took it (from {@code acquire}, {@code tryAcquire},
     * {@code executeLocked}): only that thread may close it. False for a detached hold (from {@code acquireAsync},
     * {@code tryAcquireAsync}), which any thread may close, once.
     */
    boolean isThreadBound();

    /** True until this hold is closed, or its thread's holds were released through the {@code Lock} view. */
    boolean isOpen();

    /**
     * Whether the lock is still known to be held for this hold: true while it is {@link #isOpen() open} and its backend
     * has not found the lock lost. A lock can be lost only where another party can take it away: a soft marker that
     * was not refreshed within its lease and was broken by another process, or a database session that ended. Then
     * this turns false, an ERROR log names the lock, and {@link FileLockRegistry#lostHolds()} counts it; work done
     * since then was not exclusive, so a long task can check this before committing its results. flock and
     * FileChannel locks are never lost while the process lives.
     */
    boolean isValid();

    /**
     * Runs {@code action} once if the lock is found lost while this hold's holder has it (see {@link #isValid()}),
     * or at once if it already was; never after the holder let go: a close that comes while the action runs waits
     * for it. It runs on the thread that found the loss (a soft-lease heartbeat, a database session check), so it must
     * be quick and must not block: signal the work (cancel a future, complete a sink, set a flag) rather than do it.
     * A thread-bound hold's thread can also be interrupted on loss instead:
     * {@link FileLockRegistry.Builder#interruptOnLoss}.
     */
    void whenLost(Runnable action);

    /**
     * A fencing token for this hold: a number greater than that of every earlier exclusive hold of this lock name
     * taken through this library on the same locks (the lock directory, the database), in any process and across
     * restarts. Send it with every write to a store that remembers the highest token it has accepted and refuses a
     * lower one: a holder that stalled (a GC pause, a suspended VM) until its lock was lost, or until its process was
     * presumed dead, then cannot overwrite the newer holder's work.
     *
     * <p>Allocated on the first call, while the lock is held (the backend reads, increments and writes a counter
     * beside the lock: {@code <lock file>.fence}, or a row of {@code filelock_fence}), and the same for the rest of
     * this hold; a thread's nested holds share their outer hold's token. Locking that never asks pays nothing.
     * Tokens survive a process crash; surviving a host crash needs {@code FileLockRegistry.Builder#syncFencingTokens}.
     *
     * @throws IllegalStateException for a SHARED hold (readers share the lock, so a token would not order them), or
     *     a hold that is no longer open
     * @throws UnsupportedOperationException when the registry's backend gives no tokens (file-channel, soft)
     * @throws FileLockException when the counter cannot be read or written
     */
    long fencingToken();

    /**
     * Releases this hold.
     *
     * @throws IllegalMonitorStateException for a thread-bound hold, if called by another thread than the one that
     *     took it, or when that thread's holds were already released another way ({@code obtain(name).unlock()});
     *     nothing changes. A detached hold never throws it.
     */
    @Override
    void close();

    /**
     * Closes this hold as {@link #close()} does, but if that releases the lock, the lock is kept until
     * {@code holdAtLeast} has passed since it was acquired ({@link #acquiredAt()}) and is then released by a
     * library thread; the caller returns at once. It keeps a short job from running again on another instance
     * whose trigger fires a little later (ShedLock's {@code lockAtLeastFor}). Zero, or a minimum already
     * passed, releases at once, as {@link #close()} does.
     *
     * <p>Nested holds of one thread: closing an inner hold never releases the lock, so its minimum is kept and
     * applied when the outermost hold closes, and the lock is kept until the longest minimum has passed. While
     * it is kept the lock is held for this JVM as well (another call, on any thread, waits or skips) and is
     * listed by {@link FileLockDiagnostics#localHolds()} and {@link FileLockDiagnostics#pendingReleases()}. If the
     * process ends first, the kernel releases a flock or FileChannel lock with it.
     *
     * @throws IllegalArgumentException if {@code holdAtLeast} is negative
     * @throws IllegalMonitorStateException as {@link #close()} does
     */
    void closeHoldingAtLeast(Duration holdAtLeast);
}
