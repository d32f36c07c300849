package io.github.filelock.spring.autoconfigure;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockType;
import io.github.filelock.spring.aop.FileLockRegistryRouter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.core.env.Environment;

/**
 * The registries behind {@code @FileLocked}, one per lock type in use: the application's {@link FileLockRegistry}
 * bean for {@code filelock.type}, plus an internal registry on {@code filelock.dir} for each other type that some
 * {@code filelock.locks.<name>.type} asks for. All are built at start-up, so a bad setting fails it; the
 * internal ones are closed with the context.
 */
public final class FileLockRegistries implements FileLockRegistryRouter, AutoCloseable {

    private final FileLockProperties properties;
    private final FileLockRegistry main;
    private final Map<LockType, FileLockRegistry> byType = new EnumMap<>(LockType.class);
    private final List<FileLockRegistry> internal = new ArrayList<>();
    private final List<ExternalLockType> external;

    FileLockRegistries(FileLockRegistry main, FileLockProperties properties, Environment environment,
            List<ExternalLockType> external) {
        this.properties = properties;
        this.main = main;
        this.external = List.copyOf(external);
        byType.put(properties.getType(), main);
        properties.getLocks().forEach((name, lock) -> {
            Duration holdAtLeast = lock.getHoldAtLeast();
            if (holdAtLeast != null && holdAtLeast.isNegative()) {
                throw new InvalidFileLockPropertyException("filelock.locks." + name + ".hold-at-least", holdAtLeast,
                        "a minimum hold time cannot be negative", "Set it to a duration such as 10s, or remove it.",
                        null);
            }
        });
        try {
            for (FileLockProperties.Lock lock : properties.getLocks().values()) {
                LockType type = lock.getType();
                if (type != null && !byType.containsKey(type)) {
                    byType.put(type, sameStateAsMain(FileLockRegistryFactory.create(properties, environment, type, external)));
                }
            }
        } catch (RuntimeException e) {
            close(); // start-up fails: the registries built so far are no bean, so nobody else closes them
            throw e;
        }
    }

    // A type that resolves to the main registry's own state (AUTO that found flock) needs no second registry.
    private FileLockRegistry sameStateAsMain(FileLockRegistry built) {
        if (built.type() == main.type() && hasLockFiles(main) && built.directory().equals(main.directory())) {
            built.close();
            return main;
        }
        internal.add(built);
        return built;
    }

    @Override
    public FileLockRegistry registryFor(String name) {
        return byType.get(properties.typeFor(name));
    }

    /**
     * The registry of a lock name as it is locked ({@code doc:42}): that of the configured name it is, or that
     * of the part before its last {@code ":"} (a key's own colons are percent-encoded, so that part is the
     * annotation's name), else the application's. For readers (the endpoint) that see lock names, not
     * annotation names.
     */
    public FileLockRegistry registryForLock(String lockName) {
        int keyStart = lockName.lastIndexOf(':');
        String named = keyStart < 0 ? lockName : lockName.substring(0, keyStart);
        for (String name : properties.getLocks().keySet()) {
            if (lockName.equals(name) || named.equals(name)) {
                return registryFor(name);
            }
        }
        return main;
    }

    /** Whether {@code registry}'s locks are files in {@code filelock.dir} (not a database's, such as postgres). */
    public static boolean hasLockFiles(FileLockRegistry registry) {
        LockType type = registry.type();
        return type == LockType.FLOCK || type == LockType.FILE_CHANNEL || type == LockType.SOFT;
    }

    /** Where {@code registry}'s locks live: the lock directory, or the database URL (without credentials). */
    public String location(FileLockRegistry registry) {
        if (hasLockFiles(registry)) {
            return registry.directory().toString();
        }
        ExternalLockType type = externalOf(registry);
        return type != null ? type.location() : registry.type().id();
    }

    /** Where one lock of {@code registry} lives: its lock file, or its advisory key and the database URL. */
    public String locationOf(FileLockRegistry registry, String lockName) {
        if (hasLockFiles(registry)) {
            return registry.lockFile(lockName).toString();
        }
        ExternalLockType type = externalOf(registry);
        return type != null ? type.locationOf(lockName) : registry.type().id() + " lock " + lockName;
    }

    private ExternalLockType externalOf(FileLockRegistry registry) {
        return external.stream().filter(type -> type.type() == registry.type()).findFirst().orElse(null);
    }

    /** The application's registry, which locks every name without a type of its own. */
    public FileLockRegistry main() {
        return main;
    }

    /** Every distinct registry in use, the application's first. */
    public List<FileLockRegistry> all() {
        Set<FileLockRegistry> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        List<FileLockRegistry> all = new ArrayList<>();
        all.add(main);
        distinct.add(main);
        for (FileLockRegistry registry : internal) {
            if (distinct.add(registry)) {
                all.add(registry);
            }
        }
        return all;
    }

    /**
     * Soft-lock holds this JVM found lost (their marker was broken after the lease), summed over the registries:
     * monotonic, for a metrics counter. Each loss is also logged at ERROR by the core.
     */
    public long lostHolds() {
        return all().stream().mapToLong(FileLockRegistry::lostHolds).sum();
    }

    @Override
    public void close() {
        internal.forEach(FileLockRegistry::close);
    }
}
