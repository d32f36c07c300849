package io.github.filelock.test;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockHolder;
import io.github.filelock.LockState;
import io.github.filelock.LockStatus;
import java.util.Objects;

/**
 * Assertions about who holds a lock, in the manner of ShedLock's {@code LockAssert.assertLocked()}: call them
 * inside the code under test to prove it really runs under the lock (an annotation on a final or self-invoked
 * method is silently ignored by proxies), or after it to prove the lock was given back. They only read: none of
 * them takes or releases a lock, so they never disturb a holder. Failures are {@link AssertionError}s that say
 * who holds the lock instead.
 */
public final class FileLockAssert {

    private FileLockAssert() {
    }

    /**
     * The current thread holds {@code name}: it runs inside a synchronous {@code @FileLocked} method, an
     * {@code acquire}, or a {@code Lock} from {@code obtain}. Async and ShedLock holds belong to no thread: use
     * {@link #assertHeldByThisProcess}.
     */
    public static void assertHeldByCurrentThread(FileLockRegistry registry, String name) {
        if (!check(registry, name).isHeldByCurrentThread(name)) {
            throw new AssertionError("Lock '" + name + "' is not held by the current thread ("
                    + Thread.currentThread().getName() + "); " + describe(registry.diagnostics().inspect(name)));
        }
    }

    /** Some thread or detached (async, ShedLock) hold of this JVM holds {@code name}. */
    public static void assertHeldByThisProcess(FileLockRegistry registry, String name) {
        expect(check(registry, name), name, LockState.HELD_BY_THIS_PROCESS);
    }

    /** Another process holds {@code name}, such as an {@link OtherProcessHold}. */
    public static void assertHeldByOtherProcess(FileLockRegistry registry, String name) {
        expect(check(registry, name), name, LockState.HELD_BY_OTHER_PROCESS);
    }

    /** Nobody holds {@code name}: not this JVM, not another process. */
    public static void assertFree(FileLockRegistry registry, String name) {
        expect(check(registry, name), name, LockState.FREE);
    }

    private static void expect(FileLockRegistry registry, String name, LockState wanted) {
        LockStatus status = registry.diagnostics().inspect(name);
        if (status.state() != wanted) {
            throw new AssertionError("Expected lock '" + name + "' to be " + wanted + "; " + describe(status));
        }
    }

    private static FileLockRegistry check(FileLockRegistry registry, String name) {
        Objects.requireNonNull(registry, "registry must not be null");
        Objects.requireNonNull(name, "lock name must not be null");
        return registry;
    }

    private static String describe(LockStatus status) {
        String holder = status.holder().map(LockHolder::describe)
                .orElse(status.kernelPid().map(pid -> "pid " + pid).orElse("holder unknown"));
        return "it is " + status.state() + (status.isHeld() ? " (" + holder + ")" : "") + ", file " + status.file();
    }
}
