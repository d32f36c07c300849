package io.github.filelock.internal.soft;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.LockMode;
import io.github.filelock.internal.FileSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Contenders that judge the same stale marker at once: exactly one breaks it and exactly one holds the lock,
 * every time. Each contender has its own soft lock file, as separate processes would.
 */
class BreakRaceTest {

    @TempDir
    Path dir;
    SoftBackend provider;
    final ExecutorService pool = Executors.newCachedThreadPool();

    @BeforeEach
    void setUp() {
        provider = backendOn(dir);
    }

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
    }

    @Test
    void ofFourThreadsExactlyOneBreaksTheStaleMarkerAndHoldsTheLockIn200Races() throws Exception {
        int contenders = 4;
        long deadPid = deadPid();
        Path marker = dir.resolve("race.lock");
        for (int race = 0; race < 200; race++) {
            SoftLockTest.writeMarker(marker, deadPid + "\n" + SoftLockTest.hostname() + "\n1\n");
            long brokenBefore = provider.brokenMarkers();
            CyclicBarrier start = new CyclicBarrier(contenders);
            List<SoftSlot> files = new ArrayList<>();
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < contenders; i++) {
                SoftSlot file = open(marker);
                files.add(file);
                results.add(pool.submit(() -> {
                    start.await();
                    return file.tryLock(LockMode.EXCLUSIVE);
                }));
            }
            int winners = 0;
            SoftSlot winner = null;
            for (int i = 0; i < contenders; i++) {
                if (results.get(i).get(30, TimeUnit.SECONDS)) {
                    winners++;
                    winner = files.get(i);
                }
            }
            assertThat(winners).as("holders in race %d", race).isEqualTo(1);
            assertThat(provider.brokenMarkers() - brokenBefore).as("breaks in race %d", race).isEqualTo(1);
            assertThat(Files.readString(marker)).startsWith(ProcessHandle.current().pid() + "\n");
            winner.unlock();
            assertThat(marker).doesNotExist();
            try (var leftovers = Files.list(dir)) {
                assertThat(leftovers).as("no break marker or aside file left").isEmpty();
            }
        }
    }

    @Test
    void threadsTakingAndReleasingOneSoftLockNeverOverlap() throws Exception {
        Path marker = dir.resolve("mutex.lock");
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger entries = new AtomicInteger();
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            SoftSlot file = open(marker);
            workers.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    if (file.tryLock(LockMode.EXCLUSIVE)) {
                        if (inside.incrementAndGet() != 1) {
                            overlaps.incrementAndGet();
                        }
                        entries.incrementAndGet();
                        Thread.onSpinWait();
                        inside.decrementAndGet();
                        file.unlock();
                    }
                }
                return null;
            }));
        }
        for (Future<?> w : workers) {
            w.get(30, TimeUnit.SECONDS);
        }
        assertThat(overlaps).hasValue(0);
        assertThat(entries.get()).isGreaterThan(100);
        assertThat(provider.brokenMarkers()).as("live markers are never broken").isZero();
    }

    @Test
    void ofThreeChildJvmsExactlyOneBreaksTheStaleMarkerAndHoldsTheLock() throws Exception {
        long deadPid = deadPid();
        Path marker = dir.resolve("jvm-race.lock");
        List<Jvm> jvms = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                jvms.add(Jvm.softChild(dir));
            }
            long[] broken = new long[jvms.size()];
            for (int race = 0; race < 15; race++) {
                SoftLockTest.writeMarker(marker, deadPid + "\n" + SoftLockTest.hostname() + "\n1\n");
                long at = System.currentTimeMillis() + 150;
                jvms.forEach(j -> j.send("race " + marker + " " + at));
                int winners = 0;
                long breaks = 0;
                Jvm winner = null;
                for (int i = 0; i < jvms.size(); i++) {
                    String[] answer = jvms.get(i).read().split(" ");
                    long total = Long.parseLong(answer[1]);
                    breaks += total - broken[i];
                    broken[i] = total;
                    if (answer[0].equals("WON")) {
                        winners++;
                        winner = jvms.get(i);
                    }
                }
                assertThat(winners).as("holders in race %d", race).isEqualTo(1);
                assertThat(breaks).as("breaks in race %d", race).isEqualTo(1);
                assertThat(Files.readString(marker)).startsWith(winner.pid() + "\n");
                for (Jvm j : jvms) {
                    assertThat(j.ask("release")).isEqualTo("RELEASED");
                }
                assertThat(marker).doesNotExist();
            }
        } finally {
            for (Jvm j : jvms) {
                j.close();
            }
        }
    }

    // Each slot of its own, as separate processes would have: the backend keeps one slot per key only in the engine.
    private SoftSlot open(Path marker) {
        String name = marker.getFileName().toString();
        return (SoftSlot) provider.openSlot(name.substring(0, name.length() - ".lock".length()), () -> { });
    }

    static SoftBackend backendOn(Path dir) {
        return new SoftBackend(new FileSettings(dir, PosixFilePermissions.fromString("rw-r--r--"), false),
                Duration.ofMillis(25));
    }

    /** The pid of a process that has exited (and been reaped). */
    static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        assertThat(ProcessHandle.of(p.pid())).isEmpty();
        return p.pid();
    }
}
