package io.github.filelock.spring.actuate;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockState;
import io.github.filelock.LockStatus;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * {@code /actuator/locks}: who holds and who waits, in this JVM and in other processes on the same lock
 * directory. Read-only on purpose: a hard lock belongs to the kernel and to the process holding it; no other
 * process can release it, and making the file look free (deleting it) would let a second holder in while the
 * first still runs. Every reading goes through the registry's inspection, which never takes or drops a lock.
 */
@Endpoint(id = "locks")
public class FileLocksEndpoint {

    private final FileLockRegistry registry;
    private final KeyedLockNames names;

    public FileLocksEndpoint(FileLockRegistry registry, KeyedLockNames names) {
        this.registry = registry;
        this.names = names;
    }

    @ReadOperation
    public LockReports.Locks locks() {
        Instant now = Instant.now();
        List<LockReports.OtherProcess> others = registry.scan().stream()
                .filter(status -> status.state() == LockState.HELD_BY_OTHER_PROCESS)
                .map(LockReports.OtherProcess::of).toList();
        return new LockReports.Locks(registry.directory().toString(), registry.mechanism().name(),
                ProcessHandle.current().pid(), held(null, now), waiters(null, now), others);
    }

    /** One lock, by the name it is locked under (with its key: {@code doc:42}). */
    @ReadOperation
    public LockReports.Lock lock(@Selector String name) {
        Instant now = Instant.now();
        LockStatus status = registry.inspect(name);
        return new LockReports.Lock(status.name(), status.file().toString(), status.state().name(),
                LockReports.Holder.of(status), LockReports.kernelPid(status), held(name, now), waiters(name, now));
    }

    private List<LockReports.Held> held(@Nullable String onlyName, Instant now) {
        return registry.heldLocks().stream().filter(lock -> onlyName == null || lock.name().equals(onlyName))
                .map(lock -> LockReports.Held.of(lock, names.annotationName(lock.name()), now)).toList();
    }

    private List<LockReports.Waiter> waiters(@Nullable String onlyName, Instant now) {
        return registry.waiters().stream().filter(waiter -> onlyName == null || waiter.name().equals(onlyName))
                .map(waiter -> LockReports.Waiter.of(waiter, now)).toList();
    }
}
