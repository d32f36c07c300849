package io.github.filelock.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Whether {@code open(O_CREAT|O_EXCL)} lets exactly one of several racing creators win, which every soft type's
 * marker rests on. Threads of one process race here (one client); across hosts it rests on the server.
 */
final class ExclusiveCreate {

    static final int RACES = 200;
    static final int CONTENDERS = 4;

    record Result(boolean atomic, String detail) {
    }

    private ExclusiveCreate() {
    }

    static Result check(Path dir) throws IOException, InterruptedException {
        Path race = Files.createTempDirectory(dir, ".filelock-verify-excl");
        AtomicIntegerArray winners = new AtomicIntegerArray(RACES);
        ExecutorService pool = Executors.newFixedThreadPool(CONTENDERS);
        try {
            List<Future<?>> contenders = new ArrayList<>();
            for (int c = 0; c < CONTENDERS; c++) {
                contenders.add(pool.submit(() -> {
                    for (int i = 0; i < RACES; i++) {
                        try {
                            Files.createFile(race.resolve("m" + i)); // O_CREAT|O_EXCL
                            winners.incrementAndGet(i);
                        } catch (FileAlreadyExistsException lost) {
                            // another contender created it first
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                }));
            }
            for (Future<?> contender : contenders) {
                contender.get();
            }
        } catch (ExecutionException e) {
            throw new IOException("O_EXCL create failed in " + race + ": " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
            Tidy.delete(race);
        }
        int wrong = 0;
        for (int i = 0; i < RACES; i++) {
            wrong += winners.get(i) == 1 ? 0 : 1;
        }
        return wrong == 0
                ? new Result(true, RACES + " races of " + CONTENDERS + " threads, exactly one winner each")
                : new Result(false, wrong + " of " + RACES + " races had more (or fewer) than one winner");
    }
}
