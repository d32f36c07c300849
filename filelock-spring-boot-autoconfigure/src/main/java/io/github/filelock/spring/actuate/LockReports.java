package io.github.filelock.spring.actuate;

import io.github.filelock.LocalHold;
import io.github.filelock.LockStatus;
import io.github.filelock.LockWaiter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What {@code /actuator/locks} returns. Plain records of strings and numbers, so the JSON looks the same
 * whatever the application's JSON settings; instants are ISO-8601 UTC and durations ISO-8601 ({@code PT2.5S}).
 */
public final class LockReports {

    private LockReports() {
    }

    /**
     * {@code /actuator/locks}. {@code directory} is where the application's registry keeps its locks: the lock
     * directory, or for {@code postgres} the database URL (without credentials). Each lock's {@code file} is its lock
     * file, or its advisory key and the URL.
     */
    public record Locks(String directory, String type, long pid, List<Held> heldByThisProcess,
            List<Waiter> waiters, List<OtherProcess> heldByOtherProcesses) {
    }

    /** {@code /actuator/locks/{name}}. */
    public record Lock(String name, String file, String state, @Nullable Holder holder, @Nullable Long kernelPid,
            List<Held> heldByThisProcess, List<Waiter> waiters) {
    }

    /**
     * A hold of this JVM. {@code name} is the {@code @FileLocked} name and {@code key} the name actually locked
     * ({@code doc} and {@code doc:42}); they are equal for unkeyed locks and locks taken through the registry.
     */
    public record Held(String name, String key, String file, String mode, String thread, int holdCount,
            String acquiredAt, String heldFor) {

        /** Where the hold's lock lives, as far as the hold tells: its lock file, or (a database's lock) its name. */
        static Held of(LocalHold lock, String annotationName, Instant now) {
            return of(lock, annotationName, lock.file() != null ? lock.file().toString() : lock.name(), now);
        }

        static Held of(LocalHold lock, String annotationName, String where, Instant now) {
            return new Held(annotationName, lock.name(), where, lock.mode().name(), lock.thread(),
                    lock.holdCount(), lock.acquiredAt().toString(),
                    Duration.between(lock.acquiredAt(), now).toString());
        }
    }

    /** A thread of this JVM waiting for {@code key}. */
    public record Waiter(String key, String thread, String mode, String waitingSince, String waitingFor) {

        static Waiter of(LockWaiter waiter, Instant now) {
            return new Waiter(waiter.name(), waiter.thread(), waiter.mode().name(), waiter.waitingSince().toString(),
                    Duration.between(waiter.waitingSince(), now).toString());
        }
    }

    /**
     * A lock another process holds. The holder fields come from the record the holder wrote into the lock file
     * (absent for {@code flock(1)} and other tools that write none); {@code kernelPid} from the kernel's lock
     * table, when the OS has one ({@code /proc/locks}).
     */
    public record OtherProcess(String name, String file, @Nullable Holder holder, @Nullable Long kernelPid) {

        static OtherProcess of(LockStatus status, String where) {
            return new OtherProcess(status.name(), where, Holder.of(status),
                    LockReports.kernelPid(status));
        }
    }

    /**
     * A holder as it recorded itself (a lock file, a soft lock's marker, a database session); {@code thread} is null
     * for a soft lock, whose marker records none, and {@code acquiredAt} where the database hides it from this role.
     */
    public record Holder(long pid, String host, @Nullable String thread, @Nullable String acquiredAt) {

        static @Nullable Holder of(LockStatus status) {
            return status.holder().map(holder -> new Holder(holder.pid(), holder.host(), holder.thread().orElse(null),
                    holder.acquiredAt() == null ? null : holder.acquiredAt().toString())).orElse(null);
        }
    }

    static @Nullable Long kernelPid(LockStatus status) {
        return status.kernelPid().orElse(null);
    }
}
