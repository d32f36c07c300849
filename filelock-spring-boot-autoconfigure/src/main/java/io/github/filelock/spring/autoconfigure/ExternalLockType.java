package io.github.filelock.spring.autoconfigure;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockType;
import java.util.function.Consumer;

/**
 * A lock type whose locks do not live in {@code filelock.dir}, such as {@code postgres}: it builds the registry of
 * that type when {@code filelock.type} or a {@code filelock.locks.<name>.type} asks for it, and says where its locks
 * live for the endpoint. The type's own auto-configuration contributes it as a bean
 * ({@code FileLockPostgresAutoConfiguration} when filelock-postgres is on the class path).
 */
public interface ExternalLockType {

    /** The type it builds registries for. */
    LockType type();

    /**
     * A new registry of this type, owned by the caller. Fails start-up with an {@link InvalidFileLockPropertyException}
     * naming the property to change when the type's settings are missing or its locks cannot be reached.
     *
     * @param typeProperty the property that asked for the type ({@code filelock.type} or
     *     {@code filelock.locks.<name>.type}), for messages
     * @param bounds applies the settings every registry takes ({@code filelock.max-open-files},
     *     {@code filelock.max-wait-threads}) to the registry's builder
     */
    FileLockRegistry createRegistry(String typeProperty, Consumer<FileLockRegistry.Builder> bounds);

    /** Where its locks live, without credentials (a JDBC URL). */
    String location();

    /** Where one lock name's lock lives (its advisory key and the URL). */
    String locationOf(String lockName);
}
