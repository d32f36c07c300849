package io.github.filelock.spring.support;

import io.github.filelock.spring.listener.FileLockListener;
import io.github.filelock.spring.listener.FileLockRequest;
import io.github.filelock.spring.listener.WaitOutcome;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link FileLockListener} bean that writes down what happened, in order. */
public final class LockRecorder implements FileLockListener {

    public final List<String> events = new CopyOnWriteArrayList<>();
    public final List<FileLockRequest> requests = new CopyOnWriteArrayList<>();

    @Override
    public Call onRequest(FileLockRequest request) {
        requests.add(request);
        events.add("request " + request.lockName());
        return new Call() {
            @Override
            public void acquired(Duration waited) {
                events.add("acquired " + request.lockName());
            }

            @Override
            public void notAcquired(WaitOutcome outcome, Duration waited, Throwable cause) {
                events.add(outcome + " " + request.lockName());
            }

            @Override
            public void released(Duration held, Throwable failure) {
                events.add("released " + request.lockName()
                        + (failure != null ? " after " + failure.getClass().getSimpleName() : ""));
            }
        };
    }
}
