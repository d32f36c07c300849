package io.github.filelock.redis;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.test.internal.ChildArgs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A child JVM whose {@code threads=} threads each add one to the number in {@code file=}, {@code increments=} times,
 * read-modify-write under the redis lock {@code key=}, through a registry as an application takes it: the engine's
 * gate orders this JVM's threads, Redis orders the JVMs. Prints {@code DONE}, or {@code FAILED n} with the first
 * failure.
 */
public final class CounterChild {

    public static void main(String[] args) {
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        try {
            run(new ChildArgs(args), failures);
        } catch (Throwable e) {
            failures.add(e);
        }
        if (!failures.isEmpty()) {
            failures.get(0).printStackTrace(System.out);
            System.out.println("FAILED " + failures.size());
            System.exit(1);
        }
        System.out.println("DONE");
        System.exit(0); // Redisson's threads would keep the JVM
    }

    private static void run(ChildArgs settings, List<Throwable> failures) throws Exception {
        Path file = Path.of(settings.get("file"));
        int increments = settings.getInt("increments", 250);
        List<Thread> workers = new ArrayList<>();
        try (FileLockRegistry registry = FileLockRegistry.builder(ChildSettings.backend(settings)).build()) {
            System.out.println("READY");
            for (int t = 0; t < settings.getInt("threads", 4); t++) {
                Thread worker = new Thread(() -> {
                    try {
                        for (int i = 0; i < increments; i++) {
                            try (FileLockHold hold = registry.acquire(settings.get("key"))) {
                                long n = Long.parseLong(Files.readString(file).trim());
                                Files.writeString(file, Long.toString(n + 1));
                            }
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                });
                worker.start();
                workers.add(worker);
            }
            for (Thread worker : workers) {
                worker.join();
            }
        }
    }
}
