package io.github.filelock.spi;

import io.github.filelock.LockHolder;
import io.github.filelock.LockMode;
import java.io.IOException;

/**
 * The cross-process lock of one key, through one resource of the backend (a descriptor, a server session). The
 * engine shares one slot among the holders of the key in this JVM: the first holder in takes the lock through it, the
 * last one out lets it go.
 *
 * <p>The engine serialises calls, except that {@link #abandon()} and {@link #isValid()} may be called from another
 * thread while {@link #lock} blocks.
 */
public interface LockSlot extends AutoCloseable {

    /** One attempt that does not block. True when this slot now holds the lock in {@code mode}. */
    boolean tryLock(LockMode mode) throws IOException;

    /**
     * Blocks until the lock is granted in {@code mode} (true), or until {@link #abandon()} made the backend stop
     * (false). The engine calls it on one of its own platform threads, never on a caller's thread, so it need not
     * answer to interrupts; a backend that cannot stop simply returns true once granted and the engine lets go.
     */
    boolean lock(LockMode mode) throws IOException;

    /**
     * Asks a blocked {@link #lock} to stop, from another thread. Best effort: a server backend cancels the request; a
     * polling backend stops polling; flock cannot interrupt the kernel and does nothing. Called at most once per
     * {@link #lock} call. When it arrives just after {@link #lock} returned (granted), it may make the next
     * {@link #lock} call return false at once; the engine then calls it again if someone still waits.
     */
    void abandon();

    /** Lets go of the lock this slot holds. */
    void unlock() throws IOException;

    /**
     * Publishes who holds the lock, after an EXCLUSIVE grant, where other processes read it: the holder record in a
     * lock file. A backend whose holder identity is published with the lock itself (a soft marker's content, a
     * server session's name) has already done so and returns at once. Failing to publish never costs the lock.
     */
    void describeHolder(LockHolder holder);

    /**
     * The next fencing token of this key: a number greater than every token given before for the key, by any process
     * and across restarts, kept where nothing else writes. Called only while this slot holds the lock EXCLUSIVE,
     * serialised with the slot's other calls, and only on a backend whose {@link LockBackend#supportsFencingTokens()}
     * is true. The lock orders the read, the increment and the write, so no other holder can interleave.
     *
     * @param durable whether the token must survive a crash of the host, not only of the process (an fsync);
     *     a backend whose counter is always durable (a committed row) ignores it
     * @throws UnsupportedOperationException when the backend gives no tokens (the default)
     */
    default long nextFencingToken(boolean durable) throws IOException {
        throw new UnsupportedOperationException(getClass().getName() + " gives no fencing tokens");
    }

    /**
     * Confirms, before the engine passes the EXCLUSIVE lock this slot holds to the next holder of this JVM without
     * letting it go, that the slot still holds it as a fresh {@link #tryLock} would: a file backend checks again that
     * its file is still the one at the lock path. False makes the engine let the lock go and take it afresh. Called
     * only on a backend whose {@link LockBackend#supportsCohortHandOff()} is true.
     *
     * @throws UnsupportedOperationException by default
     */
    default boolean confirmHeld() throws IOException {
        throw new UnsupportedOperationException(getClass().getName() + " does not pass locks between holders");
    }

    /**
     * False once the backend knows that the lock this slot held was lost; true while the lock is held and nothing
     * says otherwise, and while nothing is held.
     */
    boolean isValid();

    /**
     * Frees the slot's resource. Called only when the slot holds no lock and no {@link #lock} is under way. A file
     * backend configured to delete idle lock files does it here, under its own lock, and only for files it locked.
     */
    @Override
    void close() throws IOException;
}
