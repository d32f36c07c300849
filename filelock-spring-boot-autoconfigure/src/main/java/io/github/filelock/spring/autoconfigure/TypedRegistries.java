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
                    byType.put(type, sameStateAsMain(built, main, owned));
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

    // A type that resolves to the main registry's own state (AUTO that found flock) needs no second registry.
    private static FileLockRegistry sameStateAsMain(FileLockRegistry built, FileLockRegistry main,
            List<FileLockRegistry> owned) {
        if (built.type() == main.type() && FileLockRegistries.hasLockFiles(main)
                && built.directory().equals(main.directory())) {
            built.close();
            return main;
        }
        owned.add(built);
        return built;
    }
}
