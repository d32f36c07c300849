package io.github.filelock.spring;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The registries behind {@code @FileLocked}, one per lock type in use: the application's {@link FileLockRegistry}
 * bean for {@code filelock.type}, plus an internal registry on {@code filelock.dir} for each other type that some
 * {@code filelock.locks.<name>.type} asks for. The auto-configuration builds them all at start-up, so a bad setting
 * fails it; the internal ones are closed with the context.
 */
public final class FileLockRegistries implements FileLockRegistryRouter, AutoCloseable {

    private final FileLockRegistry main;
    private final Map<String, FileLockRegistry> byName;
    private final List<FileLockRegistry> owned;

    /**
     * @param main the application's registry, for every name without a registry of its own
     * @param byName the registry of each configured name ({@code filelock.locks.<name>})
     * @param owned the registries built for other types than main's; {@link #close()} closes them
     */
    public FileLockRegistries(FileLockRegistry main, Map<String, FileLockRegistry> byName,
            List<FileLockRegistry> owned) {
        this.main = main;
        this.byName = Map.copyOf(byName);
        this.owned = List.copyOf(owned);
    }

    @Override
    public FileLockRegistry registryFor(String name) {
        return byName.getOrDefault(name, main);
    }

    /**
     * The registry of a lock name as it is locked ({@code doc:42}): that of the configured name it is, or that
     * of the part before its last {@code ":"} (a key's own colons are percent-encoded, so that part is the
     * annotation's name), else the application's. For readers (the endpoint) that see lock names, not
     * annotation names.
     */
    public FileLockRegistry registryForLock(String lockName) {
        FileLockRegistry exact = byName.get(lockName);
        if (exact != null) {
            return exact;
        }
        int keyStart = lockName.lastIndexOf(':');
        return keyStart < 0 ? main : byName.getOrDefault(lockName.substring(0, keyStart), main);
    }

    /** Whether {@code registry}'s locks are files in {@code filelock.dir} (not a database's, such as postgres). */
    public static boolean hasLockFiles(FileLockRegistry registry) {
        LockType type = registry.type();
        return type == LockType.FLOCK || type == LockType.FILE_CHANNEL || type == LockType.SOFT
                || type == LockType.SOFT_LEASE || type == LockType.STRICT_SOFT || type == LockType.SOFT_RW;
    }

    /** Where {@code registry}'s locks live: the lock directory, or the database URL (without credentials). */
    public String location(FileLockRegistry registry) {
        return registry.diagnostics().location();
    }

    /** Where one lock of {@code registry} lives: its lock file, or its advisory key and the database URL. */
    public String locationOf(FileLockRegistry registry, String lockName) {
        return registry.diagnostics().locationOf(lockName);
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
        for (FileLockRegistry registry : owned) {
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
        return all().stream().mapToLong(r -> r.diagnostics().lostHolds()).sum();
    }

    @Override
    public void close() {
        owned.forEach(FileLockRegistry::close);
    }
}
