package io.github.filelock.crossprocess;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockType;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry on a fresh directory in which a child JVM holds one name (flock) from before each test until the
 * test's children are killed. A subclass's own {@code @BeforeEach} runs after the holder is in, and its
 * {@code @AfterEach} before the registry is closed.
 */
abstract class RegistryBesideAHolderChild {

    @RegisterExtension
    final ChildProcesses children = new ChildProcesses();

    @TempDir
    Path dir;

    FileLockRegistry registry;
    ChildProcess holder;

    private final String heldName;

    RegistryBesideAHolderChild(String heldName) {
        this.heldName = heldName;
    }

    @BeforeEach
    void holdInAnotherProcess() {
        holder = HolderChild.startHolding(children, dir, heldName, LockType.FLOCK);
        registry = FileLockRegistry.builder(dir).build();
    }

    @AfterEach
    void closeRegistry() {
        registry.close();
    }
}
