package io.github.filelock.spring.multiprocess;

import static io.github.filelock.spring.support.FlockTool.tryLock;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockMode;
import io.github.filelock.LockType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code @FileLocked(mode = SHARED)} and {@code filelock.locks.<name>.type=soft} in child Spring Boot JVMs: readers
 * hold the lock at once, a writer excludes them (checked with a registry here and with {@code flock(1)}), and a
 * soft-typed name excludes across JVMs through its marker.
 */
class ModesAcrossProcessesTests {

    @TempDir
    Path tmp;

    @Test
    void twoJvmsHoldSharedAtOnceAndExclusiveIsExcludedUntilBothLeave() throws Exception {
        Path locks = tmp.resolve("locks");
        try (ChildApp a = start("reader-a", locks, "SHARED"); ChildApp b = start("reader-b", locks, "SHARED");
                FileLockRegistry here = FileLockRegistry.builder(locks).build()) {
            a.send("go");
            b.send("go");
            a.awaitLine("INSIDE");
            b.awaitLine("INSIDE"); // both inside their SHARED method at the same time
            Path file = here.diagnostics().lockFile("index");
            assertThat(tryLock("-x", file)).as("flock -x while two JVMs read").isEqualTo(1);
            assertThat(tryLock("-s", file)).as("flock -s joins the readers").isZero();
            assertThat(tryOnOtherThread(here, LockMode.EXCLUSIVE)).isFalse();
            assertThat(tryOnOtherThread(here, LockMode.SHARED)).isTrue();

            a.send("leave");
            a.awaitLine("LEFT");
            assertThat(tryOnOtherThread(here, LockMode.EXCLUSIVE)).as("one reader is still inside").isFalse();
            b.send("leave");
            b.awaitLine("LEFT");
            assertThat(exits(a) && exits(b)).isTrue();
            assertThat(tryOnOtherThread(here, LockMode.EXCLUSIVE)).as("free once both readers left").isTrue();
        }
    }

    @Test
    void anExclusiveJvmExcludesReadersInOtherProcesses() throws Exception {
        Path locks = tmp.resolve("locks");
        try (ChildApp writer = start("writer", locks, "EXCLUSIVE");
                FileLockRegistry here = FileLockRegistry.builder(locks).build()) {
            writer.send("go");
            writer.awaitLine("INSIDE");
            Path file = here.diagnostics().lockFile("index");
            assertThat(tryLock("-s", file)).as("flock -s while a JVM writes").isEqualTo(1);
            assertThat(tryOnOtherThread(here, LockMode.SHARED)).isFalse();
            writer.send("leave");
            writer.awaitLine("LEFT");
            assertThat(tryOnOtherThread(here, LockMode.SHARED)).isTrue();
        }
    }

    // The app also has a SHARED method on "index", which start-up refuses on the exclusive-only soft types, so the
    // soft type here is soft-rw, whose writers hold its write marker (token, pid, host).
    @Test
    void aSoftRwNameExcludesWritersAcrossJvmsThroughItsWriteMarker() throws Exception {
        Path locks = tmp.resolve("locks");
        String soft = "--filelock.locks.index.type=soft-rw";
        try (ChildApp a = start("soft-a", locks, "EXCLUSIVE", soft);
                ChildApp b = start("soft-b", locks, "EXCLUSIVE", soft);
                FileLockRegistry here = FileLockRegistry.builder(locks).type(LockType.SOFT_RW).build()) {
            Path marker = Path.of(here.diagnostics().lockFile("index") + ".write");
            a.send("go");
            a.awaitLine("INSIDE");
            assertThat(Files.readString(marker)).contains("\n" + a.process.pid() + "\n");
            b.send("go");
            assertThat(tryOnOtherThread(here, LockMode.EXCLUSIVE)).isFalse();
            assertThat(tryOnOtherThread(here, LockMode.SHARED)).as("a writer keeps readers out").isFalse();
            assertThat(Files.readString(marker)).as("b waits; a still holds").contains("\n" + a.process.pid() + "\n");

            a.send("leave");
            a.awaitLine("LEFT");
            b.awaitLine("INSIDE"); // b polls the marker and takes it once a deleted it
            assertThat(Files.readString(marker)).contains("\n" + b.process.pid() + "\n");
            b.send("leave");
            b.awaitLine("LEFT");
            assertThat(exits(a) && exits(b)).isTrue();
            assertThat(marker).as("the last writer deleted its marker").doesNotExist();
        }
    }

    private ChildApp start(String id, Path locks, String mode, String... more) throws Exception {
        String[] args = new String[2 + more.length];
        args[0] = "--filelock.dir=" + locks;
        args[1] = "--work.mode=" + mode;
        System.arraycopy(more, 0, args, 2, more.length);
        ChildApp child = ChildApp.start(LockedWorkApplication.class, tmp.resolve(id + ".log"), args);
        child.awaitLine("READY");
        return child;
    }

    private static boolean exits(ChildApp child) throws InterruptedException {
        return child.process.waitFor(60, TimeUnit.SECONDS) && child.process.exitValue() == 0;
    }

    private static boolean tryOnOtherThread(FileLockRegistry registry, LockMode mode) {
        return CompletableFuture.supplyAsync(() -> {
            Optional<FileLockHold> hold = registry.tryAcquire("index", mode);
            hold.ifPresent(FileLockHold::close);
            return hold.isPresent();
        }).join();
    }
}
