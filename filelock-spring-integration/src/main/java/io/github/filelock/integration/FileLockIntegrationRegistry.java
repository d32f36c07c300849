package io.github.filelock.integration;

import io.github.filelock.FileLockRegistry;
import java.util.Objects;
import java.util.concurrent.locks.Lock;
import java.util.function.Function;
import org.springframework.integration.support.locks.LockRegistry;

/**
 * A Spring Integration {@link LockRegistry} on a {@link FileLockRegistry}: {@code obtain("orders")} is the file
 * lock {@code orders} in the registry's directory, excluding other threads and other processes (and
 * {@code @FileLocked(name = "orders")}, {@code flock(1)}, Python filelock) until it is unlocked or its process
 * dies. SI's {@code executeLocked} methods work through it unchanged.
 *
 * <p>Like SI's {@code JdbcLockRegistry}: keys are strings, a lock is reentrant for the thread that holds it
 * (each {@code lock} needs its {@code unlock}), and {@code unlock} on a thread that does not hold it throws
 * {@link IllegalMonitorStateException}. Unlike it, nothing expires, so this is not a
 * {@code RenewableLockRegistry}: there is no time-to-live to renew, and the kernel frees the lock of a dead
 * process without one.
 */
public final class FileLockIntegrationRegistry implements LockRegistry<Lock> {

    private final FileLockRegistry registry;
    private final Function<String, FileLockRegistry> registryFor;

    public FileLockIntegrationRegistry(FileLockRegistry registry) {
        this(registry, name -> registry);
    }

    /**
     * A registry that locks each name where {@code registryFor} says, such as the registry of a name's own type
     * ({@code filelock.locks.<name>.type}): a name must be locked with one type everywhere, as the types do not
     * exclude each other.
     *
     * @param registry the registry of the names without one of their own
     * @param registryFor the registry of a lock name
     */
    public FileLockIntegrationRegistry(FileLockRegistry registry, Function<String, FileLockRegistry> registryFor) {
        this.registry = Objects.requireNonNull(registry,
                "registry must not be null: pass the FileLockRegistry bean, or FileLockRegistry.builder(dir).build()");
        this.registryFor = Objects.requireNonNull(registryFor, "registryFor must not be null");
    }

    /**
     * The lock named {@code lockKey}. Locks of one name share their state whichever {@code Lock} object is used.
     *
     * @throws IllegalArgumentException when {@code lockKey} is not a String
     */
    @Override
    public Lock obtain(Object lockKey) {
        if (!(lockKey instanceof String name)) {
            throw new IllegalArgumentException("lockKey must be a String (the lock name), was "
                    + (lockKey == null ? "null" : lockKey.getClass().getName() + " '" + lockKey + "'")
                    + "; pass a name such as key.toString()");
        }
        return registryFor.apply(name).obtain(name);
    }

    /** The registry whose locks this one hands out, for the names without a registry of their own. */
    public FileLockRegistry registry() {
        return registry;
    }
}
