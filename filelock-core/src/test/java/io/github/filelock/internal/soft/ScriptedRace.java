package io.github.filelock.internal.soft;

import io.github.filelock.internal.TestHooks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Forces an interleaving between one thread that is breaking a marker and the other slots of this JVM. At each
 * scripted hook point the breaker reaches (in order, for one marker path), the scripted step runs on a second
 * thread, and the breaker goes on once that step has finished or is parked waiting for a lock: the engine may make
 * the step wait until the breaker is done, and then the interleaving the script asks for cannot happen. Steps run
 * one after another, in script order, as one holder's actions would.
 */
final class ScriptedRace implements AutoCloseable {

    private record Step(String point, Callable<?> action) {
    }

    private final Path marker;
    private final Thread breaker;
    private final List<Step> script = new ArrayList<>();
    private final List<String> ran = new ArrayList<>();
    private final ExecutorService elsewhere = Executors.newSingleThreadExecutor();
    private final List<Future<?>> started = new ArrayList<>();
    private volatile Thread runner;

    /** A race for the marker at {@code marker}, broken by the calling thread. */
    ScriptedRace(Path marker) {
        this.marker = marker;
        this.breaker = Thread.currentThread();
    }

    /** At the next reach of {@code point}, runs {@code action} on the other thread. */
    ScriptedRace at(String point, Callable<?> action) {
        script.add(new Step(point, action));
        return this;
    }

    /** Installs the script as the engine's test hook. */
    ScriptedRace install() {
        TestHooks.install((point, subject) -> {
            if (Thread.currentThread() != breaker || !subject.equals(marker) || script.isEmpty()
                    || !script.get(0).point().equals(point)) {
                return;
            }
            Step step = script.remove(0);
            ran.add(point);
            runElsewhere(step.action());
        });
        return this;
    }

    /** The points at which a step ran, in order. */
    List<String> ran() {
        return ran;
    }

    private void runElsewhere(Callable<?> action) {
        AtomicBoolean began = new AtomicBoolean();
        boolean earlierStepsDone = started.stream().allMatch(Future::isDone);
        Future<?> step = elsewhere.submit(() -> {
            runner = Thread.currentThread();
            began.set(true);
            return action.call();
        });
        started.add(step);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!step.isDone()) {
            // Parked on a lock: the breaker holds something this step needs, and goes on without it.
            if (began.get() && runner.getState() == Thread.State.WAITING || !earlierStepsDone) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("a scripted step neither finished nor waited for a lock in 20 s");
            }
            Thread.onSpinWait();
        }
    }

    /** Removes the hook and waits for every step that ran; a step's failure is thrown here. */
    @Override
    public void close() throws Exception {
        TestHooks.install(null);
        try {
            for (Future<?> step : started) {
                step.get(20, TimeUnit.SECONDS);
            }
        } finally {
            elsewhere.shutdownNow();
        }
    }
}
