package io.github.filelock.internal.posix;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LibC#tryFlock} answers a busy lock with its errno instead of an exception, on real descriptors: two open file
 * descriptions of one file exclude each other even in one process.
 */
class TryFlockTest {

    private static final int EWOULDBLOCK = 11; // Linux
    private static final int EBADF = 9;

    @TempDir
    Path dir;

    private int holder;
    private int contender;

    @BeforeEach
    void open() {
        byte[] path = (dir.resolve("x.lock") + "\0").getBytes(StandardCharsets.UTF_8);
        holder = LibC.open(path, 02 | 0100, 0644); // O_RDWR | O_CREAT
        contender = LibC.open(path, 02, 0);
    }

    @AfterEach
    void close() {
        LibC.close(holder);
        LibC.close(contender);
    }

    @Test
    void aBusyLockIsAnsweredWithEwouldblockAndAFreeOneIsTaken() {
        assertThat(LibC.tryFlock(holder, LibC.LOCK_EX)).isEqualTo(LibC.LOCKED);

        assertThat(LibC.tryFlock(contender, LibC.LOCK_EX)).isEqualTo(EWOULDBLOCK);
        assertThat(LibC.tryFlock(contender, LibC.LOCK_SH)).isEqualTo(EWOULDBLOCK);

        LibC.flock(holder, LibC.LOCK_UN);
        assertThat(LibC.tryFlock(contender, LibC.LOCK_EX)).isEqualTo(LibC.LOCKED);
        assertThat(LibC.tryFlock(holder, LibC.LOCK_SH)).isEqualTo(EWOULDBLOCK);
    }

    @Test
    void eachAnswerIsItsOwnCallsErrnoNotAnEarlierOne() {
        assertThat(LibC.tryFlock(holder, LibC.LOCK_EX)).isEqualTo(LibC.LOCKED);
        assertThat(LibC.tryFlock(contender, LibC.LOCK_EX)).isEqualTo(EWOULDBLOCK);

        assertThat(LibC.tryFlock(-1, LibC.LOCK_EX)).isEqualTo(EBADF);
        assertThat(LibC.tryFlock(contender, LibC.LOCK_EX)).isEqualTo(EWOULDBLOCK);
        LibC.flock(holder, LibC.LOCK_UN);
        assertThat(LibC.tryFlock(contender, LibC.LOCK_EX)).isEqualTo(LibC.LOCKED); // not the EWOULDBLOCK before it
    }

    @Test
    void anotherThreadsErrnoIsNotThisThreadsAnswer() throws InterruptedException {
        assertThat(LibC.tryFlock(holder, LibC.LOCK_EX)).isEqualTo(LibC.LOCKED);
        int[] seen = new int[1];
        Thread other = new Thread(() -> seen[0] = LibC.tryFlock(-1, LibC.LOCK_EX));
        other.start();
        other.join();

        assertThat(seen[0]).isEqualTo(EBADF);
        assertThat(LibC.tryFlock(contender, LibC.LOCK_EX)).isEqualTo(EWOULDBLOCK);
    }
}
