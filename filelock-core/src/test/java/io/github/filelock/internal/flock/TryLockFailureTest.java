package io.github.filelock.internal.flock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.jna.LastErrorException;
import io.github.filelock.LockMode;
import io.github.filelock.internal.posix.Platform;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failed non-blocking try says its errno the way every other flock failure does: as the {@link LastErrorException}
 * cause of its {@link IOException}. {@link FlockProbe} reads it there to tell a file system that refuses flock
 * (ENOLCK, EOPNOTSUPP, ENOSYS: AUTO falls back to SOFT) from any other failure. On a real descriptor: a closed one,
 * EBADF.
 */
class TryLockFailureTest {

    private static final int EBADF = 9;

    @TempDir
    Path dir;

    @Test
    void aFailedTryCarriesItsErrnoAsTheCauseLikeABlockingLock() throws IOException {
        FlockFile file = FlockFile.open(Platform.current(), dir.resolve("x.lock"), 0644, true);
        file.close();

        IOException tried = catchThrowableOfType(() -> file.tryLock(LockMode.EXCLUSIVE), IOException.class);
        IOException blocked = catchThrowableOfType(() -> file.lock(LockMode.EXCLUSIVE), IOException.class);

        assertThat(blocked.getCause()).isInstanceOfSatisfying(LastErrorException.class,
                e -> assertThat(e.getErrorCode()).isEqualTo(EBADF));
        assertThat(tried.getCause()).as("what FlockProbe.refusal reads").isInstanceOfSatisfying(
                LastErrorException.class, e -> assertThat(e.getErrorCode()).isEqualTo(EBADF));
        assertThat(tried).hasMessage(blocked.getMessage());
    }
}
