package io.github.filelock.postgres;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The backend's own sessions, at most {@code maxConnections} open at once, never the application's pool: a slot
 * pins one from its first lock until it is closed, since a session lock lives as long as its session. A session that
 * comes back idle is kept for the next slot.
 */
final class SessionPool implements AutoCloseable {

    private final Connector connector;
    private final int max;
    private final Duration checkIdleAfter;
    private final ReentrantLock guard = new ReentrantLock();
    private final Condition returned = guard.newCondition();
    private final Deque<Session> idle = new ArrayDeque<>(); // guarded by guard
    private int open; // guarded by guard; idle, pinned and being opened
    private boolean closed; // guarded by guard

    private final String where;

    SessionPool(Connector connector, int max, Duration checkIdleAfter, String where) {
        this.connector = connector;
        this.where = where;
        this.max = max;
        this.checkIdleAfter = checkIdleAfter;
    }

    /** A session, or null when {@code maxConnections} are open and none is idle. */
    Session tryTake() throws IOException {
        return take(() -> true);
    }

    /** A session, waiting for one while the bound is reached; null once {@code abandoned} turns true. */
    Session take(BooleanSupplier abandoned) throws IOException {
        while (true) {
            Session reused;
            guard.lock();
            try {
                while (!closed && idle.isEmpty() && open >= max) {
                    if (abandoned.getAsBoolean()) {
                        return null;
                    }
                    returned.awaitUninterruptibly();
                }
                if (closed) {
                    throw new IOException("the PostgreSQL lock backend is closed");
                }
                reused = idle.pollFirst();
                if (reused == null) {
                    open++;
                }
            } finally {
                guard.unlock();
            }
            if (reused == null) {
                return openOne();
            }
            if (fresh(reused)) {
                return reused;
            }
            discard(reused); // broken while idle (server restart, ended session): try the next one
        }
    }

    private Session openOne() throws IOException {
        try {
            return connector.open();
        } catch (IOException | RuntimeException | Error e) {
            guard.lock();
            try {
                open--;
                returned.signalAll();
            } finally {
                guard.unlock();
            }
            throw e;
        }
    }

    private boolean fresh(Session session) {
        if (session.isBroken()) {
            return false;
        }
        boolean recent = System.nanoTime() - session.idleSinceNanos() < checkIdleAfter.toNanos();
        return recent || session.check();
    }

    /** Takes back a session that holds nothing; a broken one is closed. */
    void giveBack(Session session) {
        if (session.isBroken()) {
            discard(session);
            return;
        }
        session.markIdle();
        boolean keep;
        guard.lock();
        try {
            keep = !closed;
            if (keep) {
                idle.addFirst(session);
                returned.signalAll();
            } else {
                open--;
            }
        } finally {
            guard.unlock();
        }
        if (!keep) {
            session.close();
        }
    }

    /** Closes a session that may still hold locks (a lost one): the server ends it and drops them. */
    void discard(Session session) {
        session.abort();
        guard.lock();
        try {
            open--;
            returned.signalAll();
        } finally {
            guard.unlock();
        }
    }

    /** Lets waiters in {@link #take} look at their abandon flags again. */
    void wakeWaiters() {
        guard.lock();
        try {
            returned.signalAll();
        } finally {
            guard.unlock();
        }
    }

    /** Open sessions that are not idle: pinned by a slot, or being opened for one. */
    int sessionsInUse() {
        guard.lock();
        try {
            return open - idle.size();
        } finally {
            guard.unlock();
        }
    }

    int openSessions() {
        guard.lock();
        try {
            return open;
        } finally {
            guard.unlock();
        }
    }

    @Override
    public void close() {
        Deque<Session> toClose;
        guard.lock();
        try {
            closed = true;
            toClose = new ArrayDeque<>(idle);
            open -= idle.size();
            idle.clear();
            returned.signalAll();
        } finally {
            guard.unlock();
        }
        toClose.forEach(Session::close);
    }

    @Override
    public String toString() {
        return "PostgreSQL at " + where;
    }
}
