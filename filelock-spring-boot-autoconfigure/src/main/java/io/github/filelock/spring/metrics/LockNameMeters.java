package io.github.filelock.spring.metrics;

import io.github.filelock.spring.listener.FileLockListener;
import io.github.filelock.spring.listener.WaitOutcome;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The meters of one {@code @FileLocked} name, built once and reused by every call: recording a call is two
 * counter updates and two {@code Timer.record}s, with no tag or meter lookup. It is also the {@link
 * FileLockListener.Call} of each call on this name, since nothing here is per call.
 */
final class LockNameMeters implements FileLockListener.Call {

    static final String WAIT = "filelock.wait";
    static final String HOLD = "filelock.hold";
    static final String HELD = "filelock.held";
    static final String WAITING = "filelock.waiting";

    private final AtomicInteger held = new AtomicInteger();
    private final AtomicInteger waiting = new AtomicInteger();
    private final Timer acquired;
    private final Timer[] notAcquired = new Timer[WaitOutcome.values().length];
    private final Timer success;
    private final Timer error;

    LockNameMeters(MeterRegistry registry, String name) {
        Tags tags = Tags.of("name", name);
        acquired = waitTimer(registry, tags, "acquired");
        for (WaitOutcome outcome : WaitOutcome.values()) {
            notAcquired[outcome.ordinal()] = waitTimer(registry, tags, tagValue(outcome));
        }
        success = holdTimer(registry, tags, "success");
        error = holdTimer(registry, tags, "error");
        Gauge.builder(HELD, held, AtomicInteger::get).tags(tags)
                .description("@FileLocked calls of this name holding their lock now").register(registry);
        Gauge.builder(WAITING, waiting, AtomicInteger::get).tags(tags)
                .description("@FileLocked calls of this name waiting for their lock now").register(registry);
    }

    /** Called when a call starts waiting; the returned call hears the rest. */
    LockNameMeters request() {
        waiting.incrementAndGet();
        return this;
    }

    @Override
    public void acquired(Duration waited) {
        waiting.decrementAndGet();
        held.incrementAndGet();
        acquired.record(waited);
    }

    @Override
    public void notAcquired(WaitOutcome outcome, Duration waited, @Nullable Throwable cause) {
        waiting.decrementAndGet();
        notAcquired[outcome.ordinal()].record(waited);
    }

    @Override
    public void released(Duration heldFor, @Nullable Throwable failure) {
        held.decrementAndGet();
        (failure == null ? success : error).record(heldFor);
    }

    static String tagValue(WaitOutcome outcome) {
        return switch (outcome) {
            case TIMEOUT -> "timeout";
            case SKIPPED -> "skipped";
            case INTERRUPTED -> "interrupted";
            case ERROR -> "error";
        };
    }

    private static Timer waitTimer(MeterRegistry registry, Tags tags, String outcome) {
        return Timer.builder(WAIT).tags(tags).tag("outcome", outcome)
                .description("Time a @FileLocked call waited for its lock, until it got it or gave up")
                .register(registry);
    }

    private static Timer holdTimer(MeterRegistry registry, Tags tags, String outcome) {
        return Timer.builder(HOLD).tags(tags).tag("outcome", outcome)
                .description("Time a @FileLocked call held its lock (the method's run)").register(registry);
    }
}
