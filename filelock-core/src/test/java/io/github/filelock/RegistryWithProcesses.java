package io.github.filelock;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A registry on a fresh directory, and outside programs (flock(1), mkfifo) that are killed after each test. */
abstract class RegistryWithProcesses {

    @TempDir
    Path dir;
    FileLockRegistry locks;
    private final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void openRegistry() {
        locks = FileLockRegistry.builder(dir).build();
    }

    @AfterEach
    void closeRegistryAndKillProcesses() {
        processes.forEach(Process::destroyForcibly);
        locks.close();
    }

    Process start(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        processes.add(p);
        return p;
    }

    int run(String... command) throws Exception {
        return start(command).waitFor();
    }
}
