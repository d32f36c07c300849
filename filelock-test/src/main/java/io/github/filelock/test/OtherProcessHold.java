package io.github.filelock.test;

import io.github.filelock.LockMode;
import io.github.filelock.LockType;
import io.github.filelock.test.internal.HolderMain;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A named lock held by another process: a child JVM that takes the lock through its own
 * {@link io.github.filelock.FileLockRegistry} and keeps it until {@link #release()} or {@link #close()}. Use it
 * to test what code does when the lock is busy: its SKIP and timeout paths. {@link Builder#start()} returns only
 * once the child holds the lock, so the test body never races the child.
 *
 * <pre>{@code
 * try (OtherProcessHold held = OtherProcessHold.exclusive(lockDir, "nightly-report")) {
 *     assertThat(registry.tryAcquire("nightly-report")).isEmpty();
 * }   // released: the child has let go and exited
 * }</pre>
 *
 * <p>A JVM rather than {@code flock(1)} because it also holds shared and {@link LockType#SOFT soft} locks,
 * and writes the holder record that timeout messages name.
 */
public final class OtherProcessHold implements AutoCloseable {

    // A cold JVM on a loaded CI machine can take many seconds to start.
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);

    private final String name;
    private final Path directory;
    private final ChildJvm child;
    private boolean released;

    private OtherProcessHold(String name, Path directory, ChildJvm child) {
        this.name = name;
        this.directory = directory;
        this.child = child;
    }

    /** Holds {@code name} in {@code directory} exclusively, with the type a registry there uses by default. */
    public static OtherProcessHold exclusive(Path directory, String name) {
        return builder(directory, name).start();
    }

    public static Builder builder(Path directory, String name) {
        return new Builder(directory, name);
    }

    /** The lock name. */
    public String name() {
        return name;
    }

    /** The process that holds the lock. */
    public long pid() {
        return child.pid();
    }

    /** Tells the child to release the lock, and returns once it has exited (so the lock is free). */
    public synchronized void release() {
        if (released) {
            return;
        }
        released = true;
        if (child.isAlive()) {
            child.send("release");
            child.awaitLine(EXIT_TIMEOUT, HolderMain.RELEASED);
            child.awaitExit(EXIT_TIMEOUT);
        }
        child.close();
    }

    /** Releases the lock, like {@link #release()}; kills the child if it does not let go in time. */
    @Override
    public void close() {
        try {
            release();
        } finally {
            child.close();
        }
    }

    @Override
    public String toString() {
        return "lock '" + name + "' in " + directory + " held by pid " + child.pid();
    }

    /** How the other process takes the lock. */
    public static final class Builder {

        private final Path directory;
        private final String name;
        private LockMode mode = LockMode.EXCLUSIVE;
        private @Nullable LockType type;
        private Duration wait = Duration.ofSeconds(10);

        private Builder(Path directory, String name) {
            this.directory = Objects.requireNonNull(directory, "lock directory must not be null");
            this.name = Objects.requireNonNull(name, "lock name must not be null");
        }

        /** EXCLUSIVE (the default) or SHARED. */
        public Builder mode(LockMode mode) {
            this.mode = Objects.requireNonNull(mode, "mode must not be null");
            return this;
        }

        /** The type of the code under test, when it is not the default: {@link LockType#SOFT}. */
        public Builder type(LockType type) {
            this.type = Objects.requireNonNull(type, "type must not be null");
            return this;
        }

        /** How long the other process may wait for the lock to be free; default 10 s. */
        public Builder waitUpTo(Duration wait) {
            Objects.requireNonNull(wait, "wait must not be null");
            if (wait.isNegative()) {
                throw new IllegalArgumentException("wait must not be negative, was " + wait
                        + ": a holder that waits forever would hang the test");
            }
            this.wait = wait;
            return this;
        }

        /**
         * Starts the other process and returns once it holds the lock.
         *
         * @throws IllegalStateException when it cannot take the lock within the wait (naming the holder), or
         *     fails to start
         */
        public OtherProcessHold start() {
            ChildJvm child = ChildJvm.start(HolderMain.class, directory, name, mode,
                    type == null ? "DEFAULT" : type, wait);
            try {
                String line = child.awaitLine(START_TIMEOUT, HolderMain.HELD, HolderMain.BUSY, HolderMain.FAILED);
                if (!line.startsWith(HolderMain.HELD)) {
                    throw new IllegalStateException("Another process could not take lock '" + name + "' in "
                            + directory + " within " + wait + ": " + line.substring(line.indexOf(' ') + 1)
                            + (line.startsWith(HolderMain.BUSY)
                                    ? ". Release it in the test (or the leftover process holding it) first." : ""));
                }
            } catch (RuntimeException | Error e) {
                child.close();
                throw e;
            }
            return new OtherProcessHold(name, directory, child);
        }
    }
}
