package io.github.filelock.benchmarks.handoff;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * One side of the cross-process ping-pong, in its own JVM. Peer p takes acquisitions p, p+2, p+4 ... of
 * one lock. Before each, it waits until the other peer holds the previous one, says it is about to wait,
 * and calls {@code acquire}. The holder waits for that signal, holds a little longer so the waiter is
 * surely blocked in the kernel, stamps the time and releases. The waiter's sample is its acquire time
 * minus that stamp.
 *
 * <p>Arguments: peer (0 or 1), lock dir, board file, acquisitions per peer, hold microseconds, output file.
 */
public final class JavaHandOffPeer {

    static final String LOCK_NAME = "ping-pong";

    private JavaHandOffPeer() {
    }

    public static void main(String[] args) throws IOException {
        int peer = Integer.parseInt(args[0]);
        Path lockDir = Path.of(args[1]);
        Path boardFile = Path.of(args[2]);
        int rounds = Integer.parseInt(args[3]);
        long holdNanos = Long.parseLong(args[4]) * 1000;
        Path out = Path.of(args[5]);
        int other = 1 - peer;
        long lastAcquisition = 2L * rounds - 1;
        long[] samples = new long[rounds];
        int n = 0;
        try (FileLockRegistry locks = FileLockRegistry.builder(lockDir).build();
                HandOffBoard board = HandOffBoard.open(boardFile)) {
            for (int i = 0; i < rounds; i++) {
                long k = 2L * i + peer;
                board.awaitAcquisitions(k);
                board.setWaiting(peer, true);
                FileLockHold hold = locks.acquire(LOCK_NAME, Duration.ofSeconds(60));
                long acquiredAt = System.nanoTime();
                if (k > 0) {
                    samples[n++] = acquiredAt - board.releaseStamp();
                }
                board.setWaiting(peer, false);
                board.setAcquisitions(k + 1);
                if (k < lastAcquisition) {
                    board.awaitWaiting(other);
                    LockSupport.parkNanos(holdNanos);
                }
                board.stampRelease(System.nanoTime());
                hold.close();
            }
        }
        HandOffSamples.write(out, java.util.Arrays.copyOf(samples, n));
    }
}
