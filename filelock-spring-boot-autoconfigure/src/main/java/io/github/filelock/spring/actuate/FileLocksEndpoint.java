package io.github.filelock.spring.actuate;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockState;
import io.github.filelock.LockStatus;
import io.github.filelock.spring.FileLockRegistries;
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
 * first still runs. Every reading goes through the registries' inspection, which never takes or drops a lock.
 *
 * <p>It reports every registry in use (names typed soft beside flock ones). Each registry scans the whole
 * directory, and a soft registry sees every flock lock file as a marker, so each lists only the locks of names
 * routed to it.
 */
@Endpoint(id = "locks")
public class FileLocksEndpoint {

    private final FileLockRegistries registries;
    private final KeyedLockNames names;

    public FileLocksEndpoint(FileLockRegistries registries, KeyedLockNames names) {
        this.registries = registries;
        this.names = names;
    }

    @ReadOperation
    public LockReports.Locks locks() {
        Instant now = Instant.now();
        List<LockReports.OtherProcess> others = registries.all().stream()
                .flatMap(registry -> registry.diagnostics().scan().stream()
                        .filter(status -> status.state() == LockState.HELD_BY_OTHER_PROCESS)
                        .filter(status -> registries.registryForLock(status.name()) == registry)
                        .map(status -> LockReports.OtherProcess.of(status,
                                registries.locationOf(registry, status.name()))))
                .toList();
        FileLockRegistry main = registries.main();
        return new LockReports.Locks(registries.location(main), main.type().id(),
                ProcessHandle.current().pid(), held(null, now), waiters(null, now), others);
    }

    /** One lock, by the name it is locked under (with its key: {@code doc:42}). */
    @ReadOperation
    public LockReports.Lock lock(@Selector String name) {
        Instant now = Instant.now();
        FileLockRegistry registry = registries.registryForLock(name);
        LockStatus status = registry.diagnostics().inspect(name);
        return new LockReports.Lock(status.name(), registries.locationOf(registry, name), status.state().name(),
                LockReports.Holder.of(status), LockReports.kernelPid(status), held(name, now), waiters(name, now));
    }

    private List<LockReports.Held> held(@Nullable String onlyName, Instant now) {
        return registries.all().stream().flatMap(registry -> registry.diagnostics().localHolds().stream()
                        .filter(lock -> onlyName == null || lock.name().equals(onlyName))
                        .map(lock -> LockReports.Held.of(lock, names.annotationName(lock.name()),
                                registries.locationOf(registry, lock.name()), now)))
                .toList();
    }

    private List<LockReports.Waiter> waiters(@Nullable String onlyName, Instant now) {
        return registries.all().stream().flatMap(registry -> registry.diagnostics().waiters().stream())
                .filter(waiter -> onlyName == null || waiter.name().equals(onlyName))
                .map(waiter -> LockReports.Waiter.of(waiter, now)).toList();
    }
}
