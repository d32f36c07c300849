package io.github.filelock.crossprocess;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockMode;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code obtainReadWrite} against a read lock held by another JVM: our read gets in, our write stays out. */
@Timeout(60)
class ReadWriteAcrossProcessesTest {

    @RegisterExtension
    final ChildProcesses children = new ChildProcesses();

    @TempDir
    Path dir;

    private FileLockRegistry registry;

    @AfterEach
    void closeRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void aReaderInAnotherJvmLetsOurReadInAndKeepsOurWriteOut() throws Exception {
        ChildProcess reader = HolderChild.startHolding(children, dir, "index", LockMode.SHARED);
        registry = FileLockRegistry.builder(dir).build();
        ReadWriteLock rw = registry.obtainReadWrite("index");

        assertThat(rw.writeLock().tryLock(200, TimeUnit.MILLISECONDS)).as("write beside another JVM's read").isFalse();
        assertThat(rw.readLock().tryLock(5, TimeUnit.SECONDS)).as("read beside another JVM's read").isTrue();
        rw.readLock().unlock();

        HolderChild.release(reader);
        assertThat(rw.writeLock().tryLock(5, TimeUnit.SECONDS)).as("write once the other reader left").isTrue();
        rw.writeLock().unlock();
    }
}
