package io.github.filelock.spring.metrics;

import io.github.filelock.spring.listener.FileLockListener;
import io.github.filelock.spring.listener.FileLockRequest;
import io.github.filelock.spring.listener.WaitOutcome;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Wraps each hold in an {@link Observation}, so a trace shows a {@code filelock.hold} span around the locked
 * method. The observation is named {@value #NAME} (not {@code filelock.hold}) so that the timer Boot's meter
 * handler derives from it cannot clash with {@link FileLockMetrics}' own {@code filelock.hold} timer. With no
 * handler registered, Micrometer hands out its no-op observation and this costs a few checks per call.
 */
public final class FileLockObservations implements FileLockListener {

    static final String NAME = "filelock.observation";
    static final String SPAN = "filelock.hold";

    private final ObservationRegistry registry;

    public FileLockObservations(ObservationRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Call onRequest(FileLockRequest request) {
        if (registry.isNoop()) {
            return Call.IGNORED;
        }
        return new ObservedHold(request);
    }

    private final class ObservedHold implements Call {

        private final FileLockRequest request;
        private @Nullable Observation observation;
        private Observation.@Nullable Scope scope;

        ObservedHold(FileLockRequest request) {
            this.request = request;
        }

        @Override
        public void acquired(Duration waited) {
            Observation started = Observation.createNotStarted(NAME, registry).contextualName(SPAN)
                    .lowCardinalityKeyValue("filelock.name", request.name())
                    .highCardinalityKeyValue("filelock.lock", request.lockName())
                    .highCardinalityKeyValue("filelock.waited", waited.toString())
                    .start();
            if (started.isNoop()) {
                return;
            }
            observation = started;
            // A scope is thread-bound and must close on the thread that opened it, before that thread does other
            // work. Only a synchronous method runs start to end on this thread; an async hold ends elsewhere, so
            // it gets no scope (else its span stays current here, and its trace id in the MDC of unrelated work).
            if (!request.asyncResult()) {
                Observation.Scope previous = registry.getCurrentObservationScope();
                try {
                    scope = started.openScope();
                } catch (RuntimeException | Error handlerFailure) {
                    undoHalfOpenedScope(started, previous, handlerFailure);
                    throw handlerFailure;
                }
            }
        }

        // A handler threw in onScopeOpened after Micrometer made the scope current: close it, or at least make
        // the previous scope current again, so the failed call leaves nothing on this thread.
        private void undoHalfOpenedScope(Observation started, Observation.@Nullable Scope previous,
                Throwable handlerFailure) {
            Observation.Scope leaked = registry.getCurrentObservationScope();
            if (leaked == null || leaked == previous || leaked.getCurrentObservation() != started) {
                return;
            }
            try {
                leaked.close();
            } catch (RuntimeException | Error again) {
                handlerFailure.addSuppressed(again);
            } finally {
                registry.setCurrentObservationScope(previous);
            }
        }

        @Override
        public void notAcquired(WaitOutcome outcome, Duration waited, @Nullable Throwable cause) {
            // No hold, no span: the wait outcome is in the filelock.wait timer.
        }

        @Override
        public void released(Duration held, @Nullable Throwable failure) {
            if (observation == null) {
                return;
            }
            if (scope != null) {
                scope.close(); // synchronous: released runs on the thread that opened it
            }
            if (failure != null) {
                observation.error(failure);
            }
            observation.stop();
        }
    }
}
