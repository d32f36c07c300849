package io.github.filelock.spring.autoconfigure;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockType;
import io.github.filelock.spring.FileLockRegistries;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.core.env.Environment;

/**
 * Builds {@link FileLockRegistries}: beside the application's registry, one registry on {@code filelock.dir} for
 * each other type that a {@code filelock.locks.<name>.type} asks for.
 */
final class TypedRegistries {

    private TypedRegistries() {
    }

    static FileLockRegistries create(FileLockRegistry main, FileLockProperties properties, Environment environment,
            List<ExternalLockType> external) {
        properties.getLocks().forEach((name, lock) -> {
            Duration holdAtLeast = lock.getHoldAtLeast();
            if (holdAtLeast != null && holdAtLeast.isNegative()) {
                throw new InvalidFileLockPropertyException("filelock.locks." + name + ".hold-at-least", holdAtLeast,
                        "a minimum hold time cannot be negative", "Set it to a duration such as 10s, or remove it.",
                        null);
            }
        });
        Map<LockType, FileLockRegistry> byType = new EnumMap<>(LockType.class);
        byType.put(properties.getType(), main);
        List<FileLockRegistry> owned = new ArrayList<>();
        try {
            for (FileLockProperties.Lock lock : properties.getLocks().values()) {
                LockType type = lock.getType();
                if (type != null && !byType.containsKey(type)) {
                    FileLockRegistry built = FileLockRegistryFactory.create(properties, environment, type, external);
                    byType.put(type, sameStateAsBuilt(built, main, owned));
                }
            }
        } catch (RuntimeException e) {
            owned.forEach(FileLockRegistry::close); // start-up fails: no bean owns these yet, so nobody else would
            throw e;
        }
        Map<String, FileLockRegistry> byName = new HashMap<>();
        properties.getLocks().keySet().forEach(name -> byName.put(name, byType.get(properties.typeFor(name))));
        return new FileLockRegistries(main, byName, owned);
    }

    // A type that resolves to the state of a registry already built (AUTO that found flock, beside the main registry
    // or a per-name flock one) needs no second registry: two would list every hold and count every loss twice.
    private static FileLockRegistry sameStateAsBuilt(FileLockRegistry built, FileLockRegistry main,
            List<FileLockRegistry> owned) {
        List<FileLockRegistry> existing = new ArrayList<>(owned);
        existing.add(0, main);
        for (FileLockRegistry other : existing) {
            if (built.type() == other.type() && FileLockRegistries.hasLockFiles(other)
                    && built.directory().equals(other.directory())) {
                built.close();
                return other;
            }
        }
        owned.add(built);
        return built;
    }
}
