package io.github.filelock.postgres;

import io.github.filelock.LockMode;
import io.github.filelock.spi.LockSlot;
import io.github.filelock.test.internal.ChildArgs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A child JVM whose {@code threads=} threads each add one to the number in {@code file=}, {@code increments=} times,
 * read-modify-write under the postgres lock {@code key=}. Each thread has a slot (and so a session) of its own:
 * without the engine there is no in-JVM gate, so the server's lock alone must keep the threads apart as well.
 */
public final class CounterChild {

    public static void main(String[] args) throws Exception {
        ChildArgs settings = new ChildArgs(args);
        Path file = Path.of(settings.get("file"));
        int threads = settings.getInt("threads", 4);
        int increments = settings.getInt("increments", 250);
        List<Thread> workers = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (PostgresLockBackend backend = ChildSettings.backend(settings)) {
            System.out.println("READY");
            for (int t = 0; t < threads; t++) {
                Thread worker = new Thread(() -> {
                    try (LockSlot slot = backend.openSlot(settings.get("key"), () -> { })) {
                        for (int i = 0; i < increments; i++) {
                            if (!slot.lock(LockMode.EXCLUSIVE)) {
                                throw new AssertionError("lock returned false without abandon");
                            }
                            try {
                                long n = Long.parseLong(Files.readString(file).trim());
                                Files.writeString(file, Long.toString(n + 1));
                            } finally {
                                slot.unlock();
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
        if (!failures.isEmpty()) {
            failures.get(0).printStackTrace(System.out);
            System.out.println("FAILED " + failures.size());
            System.exit(1);
        }
        System.out.println("DONE");
    }
}
