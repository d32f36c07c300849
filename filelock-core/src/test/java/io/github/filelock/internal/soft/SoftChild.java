package io.github.filelock.internal.soft;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockMode;
import io.github.filelock.LockType;
import io.github.filelock.internal.FileSettings;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;

/**
 * A child JVM that takes soft locks on command, one command per stdin line, one answer per stdout line.
 * {@code hold NAME} / {@code release} go through a SOFT registry, {@code try NAME} answers WON (and keeps the
 * lock) or BUSY; {@code race PATH EPOCH_MS} makes one
 * {@code tryLock} on a raw soft lock file at a given wall-clock instant, so several JVMs race together.
 */
public final class SoftChild {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Duration poll = Duration.ofMillis(Long.getLong("soft.poll.ms", 25));
        FileLockRegistry locks = FileLockRegistry.builder(dir).type(LockType.SOFT).softPollInterval(poll).build();
        SoftBackend raw = new SoftBackend(new FileSettings(dir, PosixFilePermissions.fromString("rw-r--r--"), false),
                poll);
        FileLockHold hold = null;
        SoftSlot rawFile = null;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        System.out.println("READY " + ProcessHandle.current().pid());
        for (String line; (line = in.readLine()) != null; ) {
            String[] c = line.split(" ");
            switch (c[0]) {
                case "hold" -> {
                    hold = locks.acquire(c[1], Duration.ofSeconds(30));
                    System.out.println("HELD");
                }
                case "try" -> System.out.println(locks.tryAcquire(c[1]).map(h -> "WON").orElse("BUSY"));
                case "release" -> {
                    if (hold != null) {
                        hold.close();
                        hold = null;
                    }
                    if (rawFile != null) {
                        rawFile.unlock();
                        rawFile = null;
                    }
                    System.out.println("RELEASED");
                }
                case "race" -> {
                    String marker = Path.of(c[1]).getFileName().toString(); // a lock file in dir: its key is its stem
                    rawFile = (SoftSlot) raw.openSlot(marker.substring(0, marker.length() - ".lock".length()),
                            () -> { });
                    long start = Long.parseLong(c[2]);
                    while (System.currentTimeMillis() < start) {
                        Thread.onSpinWait();
                    }
                    boolean won = rawFile.tryLock(LockMode.EXCLUSIVE);
                    System.out.println((won ? "WON " : "LOST ") + raw.brokenMarkers());
                }
                case "handoff" -> handoff(locks, c[1], Integer.parseInt(c[2]));
                default -> System.out.println("UNKNOWN " + line);
            }
            System.out.flush();
        }
    }

    // Takes and releases the lock `rounds` times, reporting wall-clock instants (microsecond clock, shared by
    // the JVMs of this machine) of wait start, acquire and release, for hand-off latency.
    private static void handoff(FileLockRegistry locks, String name, int rounds) throws InterruptedException {
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < rounds; i++) {
            long asked = micros();
            try (FileLockHold h = locks.acquire(name, Duration.ofSeconds(30))) {
                long got = micros();
                Thread.sleep(2);
                log.append(asked).append(' ').append(got).append(' ').append(micros()).append(';');
            }
            awaitPeerHolds(locks.diagnostics().lockFile(name)); // strict alternation: every release is a hand-off
        }
        System.out.println("LOG " + log);
    }

    private static void awaitPeerHolds(Path marker) throws InterruptedException {
        String mine = ProcessHandle.current().pid() + "\n";
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                String content = java.nio.file.Files.readString(marker);
                if (!content.isEmpty() && !content.startsWith(mine)) {
                    return;
                }
            } catch (java.io.IOException e) {
                // no marker yet
            }
            Thread.sleep(0, 200_000);
        }
    }

    private static long micros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
    }
}
