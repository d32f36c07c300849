package io.github.filelock.benchmarks.handoff;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One side of the alternation run, in its own JVM: both peers loop on {@code lock} + {@code unlock} of one lock
 * with no pause, as two services hammering one name do. Unlike {@link JavaHandOffPeer}, nobody waits for the
 * other side before releasing, so a process that releases and takes the lock straight back (barging) keeps the
 * other one out, and that shows.
 *
 * <p>Each peer records the time of every acquisition, and the time of every release made while the other peer had
 * said it was about to wait. The harness pairs each such release with the other peer's next acquisition.
 *
 * <p>Arguments: peer (0 or 1), lock dir, board file, acquisitions, acquisitions output file, releases output file,
 * the lock ({@code registry} or {@code bare}, as for {@link JavaHandOffPeer}).
 */
public final class AlternationPeer {

    private AlternationPeer() {
    }

    public static void main(String[] args) throws IOException {
        int peer = Integer.parseInt(args[0]);
        Path lockDir = Path.of(args[1]);
        Path boardFile = Path.of(args[2]);
        int rounds = Integer.parseInt(args[3]);
        int other = 1 - peer;
        long[] acquired = new long[rounds];
        long[] released = new long[rounds];
        int releases = 0;
        try (JavaHandOffPeer.PingPongLock lock = JavaHandOffPeer.open(args[6], lockDir);
                HandOffBoard board = HandOffBoard.open(boardFile)) {
            board.setReady(peer);
            board.awaitReady(other); // both JVMs are up and have opened their lock before either starts
            for (int i = 0; i < rounds; i++) {
                board.setWaiting(peer, true);
                lock.lock();
                acquired[i] = System.nanoTime();
                board.setWaiting(peer, false);
                boolean otherWaits = board.isWaiting(other);
                long stamp = System.nanoTime();
                lock.unlock();
                if (otherWaits) {
                    released[releases++] = stamp;
                }
            }
        }
        HandOffSamples.write(Path.of(args[4]), acquired);
        HandOffSamples.write(Path.of(args[5]), Arrays.copyOf(released, releases));
    }
}
