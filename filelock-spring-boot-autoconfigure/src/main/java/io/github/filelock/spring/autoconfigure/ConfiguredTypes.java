package io.github.filelock.spring.autoconfigure;

import io.github.filelock.LockType;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.util.function.SingletonSupplier;

/**
 * The configured lock type of a name, read for the start-up validator: a post-processor, created before the
 * properties bean exists, so the properties are bound from the environment here, once, when first asked.
 */
final class ConfiguredTypes {

    private ConfiguredTypes() {
    }

    static Function<String, @Nullable LockType> of(Environment environment) {
        SingletonSupplier<FileLockProperties> properties = SingletonSupplier.of(() -> bind(environment));
        return name -> {
            FileLockProperties bound = properties.get();
            return bound == null ? null : bound.typeFor(name);
        };
    }

    // A property that does not bind is reported by the registry's own start-up check, naming it; not here.
    private static @Nullable FileLockProperties bind(Environment environment) {
        try {
            return Binder.get(environment).bindOrCreate("filelock", FileLockProperties.class);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
