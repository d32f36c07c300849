package io.github.filelock.spring.actuate;

import io.github.filelock.spring.listener.FileLockListener;
import io.github.filelock.spring.listener.FileLockRequest;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;

/**
 * Remembers, while a keyed {@code @FileLocked} call holds its lock, which annotation name the lock belongs
 * to ({@code doc:42} to {@code doc}), so the endpoint can show both. Only keyed locks are tracked, and only
 * while held, so the map is as small as the number of keyed holds right now.
 */
public final class KeyedLockNames implements FileLockListener {

    private final ConcurrentMap<String, Holds> byLock = new ConcurrentHashMap<>();

    @Override
    public Call onRequest(FileLockRequest request) {
        if (request.lockName().equals(request.name())) {
            return Call.IGNORED;
        }
        return new Call() {
            @Override
            public void acquired(Duration waited) {
                byLock.compute(request.lockName(),
                        (lock, holds) -> holds == null ? new Holds(request.name()) : holds.more());
            }

            @Override
            public void released(Duration held, @Nullable Throwable failure) {
                byLock.computeIfPresent(request.lockName(), (lock, holds) -> holds.fewer());
            }
        };
    }

    /** The annotation name of {@code lockName} while a keyed call holds it, else {@code lockName} itself. */
    public String annotationName(String lockName) {
        Holds holds = byLock.get(lockName);
        return holds != null ? holds.name : lockName;
    }

    private record Holds(String name, int count) {

        Holds(String name) {
            this(name, 1);
        }

        Holds more() {
            return new Holds(name, count + 1);
        }

        @Nullable Holds fewer() {
            return count == 1 ? null : new Holds(name, count - 1);
        }
    }
}
