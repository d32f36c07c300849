package io.github.filelock.benchmarks.handoff;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.LockSupport;

/**
 * A tiny shared-memory file through which two ping-pong peers (Java or Python) coordinate. The layout is
 * little-endian signed 64-bit slots, mirrored by {@code handoff_peer.py}:
 * <ol start="0">
 *   <li>release stamp: {@link System#nanoTime()} (CLOCK_MONOTONIC) written just before a release</li>
 *   <li>acquisitions so far</li>
 *   <li>peer 0 is about to wait (1) or not (0)</li>
 *   <li>peer 1 is about to wait</li>
 *   <li>peer 0 is ready (1) to start (alternation only)</li>
 *   <li>peer 1 is ready</li>
 * </ol>
 * The board only orders the peers; the lock itself is what is measured.
 */
public final class HandOffBoard implements AutoCloseable {

    static final int SIZE = 64;
    private static final int RELEASE_STAMP = 0;
    private static final int ACQUISITIONS = 8;
    private static final int WAITING = 16;
    private static final int READY = 32;
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final FileChannel channel;
    private final MappedByteBuffer map;

    private HandOffBoard(FileChannel channel, MappedByteBuffer map) {
        this.channel = channel;
        this.map = map;
    }

    public static HandOffBoard open(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        return new HandOffBoard(channel, channel.map(FileChannel.MapMode.READ_WRITE, 0, SIZE));
    }

    void stampRelease(long nanos) {
        LONGS.setVolatile(map, RELEASE_STAMP, nanos);
    }

    long releaseStamp() {
        return (long) LONGS.getVolatile(map, RELEASE_STAMP);
    }

    void setAcquisitions(long n) {
        LONGS.setVolatile(map, ACQUISITIONS, n);
    }

    void setWaiting(int peer, boolean waiting) {
        LONGS.setVolatile(map, WAITING + 8 * peer, waiting ? 1L : 0L);
    }

    boolean isWaiting(int peer) {
        return (long) LONGS.getVolatile(map, WAITING + 8 * peer) != 0;
    }

    void setReady(int peer) {
        LONGS.setVolatile(map, READY + 8 * peer, 1L);
    }

    void awaitReady(int peer) {
        while ((long) LONGS.getVolatile(map, READY + 8 * peer) == 0) {
            pause();
        }
    }

    /** Polls (cheaply: this is outside the measured path) until at least {@code n} acquisitions happened. */
    void awaitAcquisitions(long n) {
        while ((long) LONGS.getVolatile(map, ACQUISITIONS) < n) {
            pause();
        }
    }

    void awaitWaiting(int peer) {
        while ((long) LONGS.getVolatile(map, WAITING + 8 * peer) == 0) {
            pause();
        }
    }

    private static void pause() {
        LockSupport.parkNanos(20_000);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
