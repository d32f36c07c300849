package io.github.filelock.spring.actuate;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockState;
import io.github.filelock.LockStatus;
import io.github.filelock.spring.FileLockRegistries;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.core.env.Environment;

/**
 * {@code /actuator/locks}: who holds and who waits, in this JVM and in other processes on the same lock
 * directory. Every reading goes through the registries' inspection, which never takes or drops a lock.
 *
 * <p>{@code DELETE /actuator/locks/{name}} breaks a soft claim that a crashed holder on another host left behind (a
 * soft or soft-lease marker, a strict claim). It is off by default ({@link Access#READ_ONLY}): grant it with
 * {@code management.endpoint.locks.access=unrestricted}, and secure it (see the README). Only that property grants
 * it: a setting that opens every endpoint, or the legacy {@code enabled} flags (which in 0.1 could only turn this
 * endpoint's reads on), makes Boot map the {@code DELETE}, which then answers 403. A kernel or database lock is
 * never broken: it belongs to the process or session holding it, which frees it when it dies, and deleting its file
 * would let a second holder in while the first still runs.
 *
 * <p>It reports every registry in use (names typed soft beside flock ones). Each registry scans the whole
 * directory, and a soft registry sees every flock lock file as a marker, so each lists only the locks of names
 * routed to it.
 */
@Endpoint(id = "locks", defaultAccess = Access.READ_ONLY)
public class FileLocksEndpoint {

    static final String GRANT = "management.endpoint.locks.access";

    private final FileLockRegistries registries;
    private final KeyedLockNames names;
    private final boolean breakGranted;

    /** An endpoint whose {@code DELETE} answers 403: reads only. */
    public FileLocksEndpoint(FileLockRegistries registries, KeyedLockNames names) {
        this(registries, names, false);
    }

    /**
     * @param breakGranted whether {@code DELETE} breaks locks: see {@link #breakGranted(Environment)}
     */
    public FileLocksEndpoint(FileLockRegistries registries, KeyedLockNames names, boolean breakGranted) {
        this.registries = registries;
        this.names = names;
        this.breakGranted = breakGranted;
    }

    /** Whether this endpoint's own access property grants writes ({@code management.endpoint.locks.access}). */
    public static boolean breakGranted(Environment environment) {
        return environment.getProperty(GRANT, Access.class) == Access.UNRESTRICTED;
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

    /**
     * Breaks the claim on one lock, by the name it is locked under: 200 with who held it, 404 when nothing is there,
     * 400 for a type that cannot be broken (flock, file-channel, postgres), 403 when
     * {@code management.endpoint.locks.access} does not grant it, 409 when this JVM holds it or a new holder took it
     * meanwhile, 500 when the claim cannot be read or removed; the body of a refusal says why.
     */
    @DeleteOperation
    public WebEndpointResponse<?> breakLock(@Selector String name, @Nullable SecurityContext security) {
        FileLockRegistry registry = registries.registryForLock(name);
        if (!breakGranted) {
            return LockBreaks.notGranted(registry, name);
        }
        return LockBreaks.breakLock(registry, registries.locationOf(registry, name), name, security);
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
