package io.github.filelock.spring;

import io.github.filelock.FileLockRegistry;

/**
 * Which registry locks a {@code @FileLocked} name: names configured as soft locks
 * ({@code filelock.locks.<name>.type=soft}) go to a soft-lock registry, the others to the application's
 * {@link FileLockRegistry}.
 */
@FunctionalInterface
public interface FileLockRegistryRouter {

    /** The registry for the annotation's name (without its key part). */
    FileLockRegistry registryFor(String name);
}
