package io.github.filelock.postgres;

import java.time.Duration;

/**
 * The two clocks that end a hold when the network between holder and server fails, ordered so that the holder
 * always gives up first. With keepalive {@code k} (whole seconds, rounded up):
 *
 * <ul>
 *   <li>the holder checks each held session every {@code k} and allows a check {@code k}: it declares a hold lost
 *       at most {@link #holderDeclaresWithin() 2k} after the last packet the server got from it;</li>
 *   <li>the server's TCP keepalive starts probing after {@code 3k} of silence, every {@code k}, three times, and
 *       {@code tcp_user_timeout} is {@code 6k}: it ends the session, and grants the lock elsewhere, no sooner than
 *       {@link #serverFreesAfter() 3k} and about {@link #serverFreesWithin() 6k} after that last packet.</li>
 * </ul>
 *
 * The margin between the two is {@code k}. A holder paused longer than that (a stop-the-world pause, a suspended VM)
 * can still act after the server let go: no lock that lives on a server can rule that out.
 */
record LossBounds(long seconds) {

    static LossBounds of(Duration keepalive) {
        return new LossBounds(Math.max(1, (keepalive.toMillis() + 999) / 1000));
    }

    Duration checkEvery() {
        return Duration.ofSeconds(seconds);
    }

    Duration checkTimeout() {
        return Duration.ofSeconds(seconds);
    }

    Duration holderDeclaresWithin() {
        return checkEvery().plus(checkTimeout());
    }

    long serverKeepaliveIdleSeconds() {
        return 3 * seconds;
    }

    long serverKeepaliveIntervalSeconds() {
        return seconds;
    }

    int serverKeepaliveCount() {
        return 3;
    }

    long serverUserTimeoutMillis() {
        return serverFreesWithin().toMillis();
    }

    Duration serverFreesAfter() {
        return Duration.ofSeconds(serverKeepaliveIdleSeconds());
    }

    Duration serverFreesWithin() {
        return Duration.ofSeconds(serverKeepaliveIdleSeconds()
                + serverKeepaliveIntervalSeconds() * serverKeepaliveCount());
    }
}
