package io.github.filelock.spi;

import io.github.filelock.LockHolder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One lock mechanism: flock, FileChannel, soft markers, a PostgreSQL session lock. The engine keeps everything that
 * is the same for all of them (the fair in-JVM gate, reentrancy and hold counts, one pending wait per key and mode,
 * detached holds, listeners, this JVM's holds and waiters); a backend only takes, waits for, lets go of and
 * describes the cross-process lock of one key.
 *
 * <p>A key is a lock name, joined with its key when it has one ({@code doc:42}). How a backend maps it (a file name,
 * a 64-bit advisory key) is its own business, but the mapping is fixed: other tools and older versions rely on it.
 *
 * <p>Implementations are thread-safe.
 *
 * <p>Changes since the SPI was first committed: {@link #inspectElsewhere} (a default method, so a backend need not
 * implement it) lets file backends answer a scan with one read of the kernel's lock table and report the pid the
 * kernel names; {@code onLoss} is called at most once per grant rather than per slot; a late {@link LockSlot#abandon()}
 * may make the next {@link LockSlot#lock} return false once; fencing tokens
 * ({@link #supportsFencingTokens}, {@link LockSlot#nextFencingToken}) are default methods, unsupported unless
 * overridden; {@link #breakLock} (a default method that refuses) lets soft backends remove a marker for an operator;
 * the cohort hand-off ({@link #supportsCohortHandOff}, {@link LockSlot#confirmHeld}) is a default method, off unless
 * overridden.
 */
public interface LockBackend extends AutoCloseable {

    /**
     * The type, as users choose it in configuration and read it in diagnostics: {@code flock}, {@code file-channel},
     * {@code soft}, {@code postgres}. Never {@code auto}: that is a request, resolved before a backend exists.
     */
    String type();

    /** Where the locks live, for messages: the lock directory, or a JDBC URL without credentials. */
    String location();

    /**
     * Where one key's lock lives, for messages and diagnostics: the lock file, or the advisory key.
     */
    String locationOf(String key);

    /**
     * A new slot for {@code key}. Opening is cheap: a slot takes its resources (a descriptor, a session) when it first
     * locks, and keeps them until it is closed. {@code onLoss} is called from any thread when the
     * backend finds that a lock this slot held was lost (a broken soft marker, an ended session): at most once for each
     * time the slot took the lock.
     */
    LockSlot openSlot(String key, Runnable onLoss) throws IOException;

    /**
     * Whether two slots of one key in this process lock independently, so that the engine may leave an abandoned wait
     * to finish on its own slot while it opens another. True for flock (one open file description each) and for
     * server sessions. False for fcntl locks, which belong to the process: there a second slot would share the first
     * one's lock and drop it when closed, so the engine waits an abandoned wait out.
     */
    boolean independentSlots();

    /**
     * Who holds {@code key}'s lock in other processes, read without taking or dropping it. Empty when it is free, and
     * when the backend cannot tell who holds it (then {@link #isHeldElsewhere} still answers).
     */
    List<LockHolder> holdersElsewhere(String key) throws IOException;

    /** Whether another process holds {@code key}'s lock, in either mode, read without taking or dropping it. */
    boolean isHeldElsewhere(String key) throws IOException;

    /**
     * What is known of one key's lock in other processes, for diagnostics.
     *
     * @param held whether another process holds it
     * @param holder who, as recorded where the backend publishes holders ({@link LockSlot#describeHolder}), if known
     * @param pid the process id the lock manager itself names as holder (Linux {@code /proc/locks}; -1 for a lock it
     *     names no pid for), if it names one
     */
    record Elsewhere(boolean held, Optional<LockHolder> holder, Optional<Long> pid) {
    }

    /**
     * {@link #isHeldElsewhere} and {@link #holdersElsewhere} for many keys in one call (a scan), in the order of
     * {@code keys}. The default asks per key; a backend overrides it to read its lock table once.
     */
    default List<Elsewhere> inspectElsewhere(List<String> keys) throws IOException {
        List<Elsewhere> found = new ArrayList<>(keys.size());
        for (String key : keys) {
            List<LockHolder> holders = holdersElsewhere(key);
            boolean held = !holders.isEmpty() || isHeldElsewhere(key);
            found.add(new Elsewhere(held, holders.stream().findFirst(), Optional.empty()));
        }
        return found;
    }

    /**
     * The keys this backend can enumerate without being told them (the lock files of a directory), for a scan. A
     * backend that cannot enumerate (hashed server keys) returns the keys it has seen.
     */
    List<String> knownKeys() throws IOException;

    /**
     * Whether this backend's slots give fencing tokens ({@link LockSlot#nextFencingToken}). False by default: a
     * backend without a counter that survives its holders says so, and never makes one up.
     */
    default boolean supportsFencingTokens() {
        return false;
    }

    /**
     * Whether the engine may pass an EXCLUSIVE lock that a slot holds straight from one holder of this JVM to the
     * writer queued next here (the cohort hand-off), without letting it go and taking it again, once the slot has
     * confirmed that it still holds it ({@link LockSlot#confirmHeld}). The engine bounds how many such hand-offs follow
     * each other before other processes get their chance. False by default: every holder takes the lock through the
     * backend.
     */
    default boolean supportsCohortHandOff() {
        return false;
    }

    /**
     * Removes another process's claim on {@code key} on an operator's word, for the lock types whose claim is a file
     * that a holder which crashed on another host leaves behind for good (soft markers, strict claims). Who held it is
     * returned as recorded, so that the caller can log it; empty when nothing was there to remove. The engine refuses
     * names held in this process before it asks. Remove only the claim that was read: a new holder may take the name
     * between the read and the removal, and a file system may give its claim the inode just freed, so compare content
     * as well as identity after moving the claim aside, never unlink by path (see {@code SoftBackend}).
     *
     * @throws IllegalStateException when the claim changed while it was being broken (it is left in place)
     * @throws UnsupportedOperationException by default: the kernel or the server frees the lock of a dead holder by
     *     itself, so there is nothing an operator may safely remove
     */
    default Optional<LockHolder> breakLock(String key) throws IOException {
        throw new UnsupportedOperationException("'" + type() + "' locks cannot be broken by an operator: what holds"
                + " them (the kernel, the database session) releases them when the holding process dies. Stop the"
                + " holding process instead (" + locationOf(key) + ").");
    }

    /** Frees what the backend holds for all keys (connections, a heartbeat). The engine closes every slot first. */
    @Override
    void close();
}
