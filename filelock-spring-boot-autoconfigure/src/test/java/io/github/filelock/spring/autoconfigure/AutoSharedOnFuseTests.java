package io.github.filelock.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.LockMode;
import io.github.filelock.LockType;
import io.github.filelock.fuse.FuseMount;
import io.github.filelock.spring.FileLockRegistries;
import io.github.filelock.spring.FileLocked;
import io.github.filelock.spring.InvalidFileLockedMethodException;
import io.github.filelock.spring.support.Runners;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code auto} on a real file system that refuses flock(2) (a loopback FUSE mount whose flock answers ENOLCK, as NFS
 * without lockd does) resolves to {@code soft}, which cannot count readers: a SHARED method fails start-up, as on a
 * name configured {@code soft}. The FUSE tests skip where FUSE cannot be mounted (no /dev/fuse, not root, no
 * python3-fusepy).
 */
class AutoSharedOnFuseTests {

    @TempDir
    Path tmp;

    @Test
    void aSharedMethodFailsStartUpWhereAutoFellBackToSoftNamingTheDirectoryAndTheFix() throws Exception {
        try (FuseMount fuse = FuseMount.start(tmp, "noflockfs.py")) {
            Path dir = fuse.mount().resolve("locks");
            Runners.withLockDir(dir).withUserConfiguration(ReaderBeans.class).withPropertyValues("filelock.type=auto")
                    .run(context -> {
                        assertThat(context).hasFailed();
                        FailureAnalysis analysis = new FileLockFailureAnalyzer()
                                .analyze(context.getStartupFailure());
                        assertThat(analysis).as("analysis of %s", context.getStartupFailure()).isNotNull();
                        assertThat(analysis.getDescription()).contains(Reader.class.getName() + ".read()")
                                .contains("of bean 'reader'").contains("mode = SHARED on lock 'report'")
                                .contains("'auto' resolved to 'soft' on lock directory " + dir)
                                .contains("its file system refuses flock(2)")
                                .contains("FileLockRegistry.type() now reports 'soft'")
                                .contains("'soft' locks are exclusive only");
                        assertThat(analysis.getAction()).contains("filelock.locks.report.type=soft-rw")
                                .contains("every process that uses the name")
                                .contains("a file system that supports flock(2)").contains("remove mode = SHARED");
                        assertThat(rootOf(context.getStartupFailure()))
                                .isInstanceOf(InvalidFileLockedMethodException.class);
                    });
        }
    }

    /** filelock.locks.<name>.type=auto: the check asks the registry of that name, not the application's. */
    @Test
    void aSharedMethodOnANameConfiguredAutoFailsStartUpThere() throws Exception {
        try (FuseMount fuse = FuseMount.start(tmp, "noflockfs.py")) {
            Runners.withLockDir(fuse.mount().resolve("locks")).withUserConfiguration(ReaderBeans.class)
                    .withPropertyValues("filelock.type=soft", "filelock.locks.report.type=auto").run(context -> {
                        assertThat(context).hasFailed();
                        assertThat(new FileLockFailureAnalyzer().analyze(context.getStartupFailure())
                                .getDescription()).contains("mode = SHARED on lock 'report', whose type is 'auto'")
                                .contains("'auto' resolved to 'soft'");
                    });
        }
    }

    @Test
    void anExclusiveMethodStartsWhereAutoFellBackToSoft() throws Exception {
        try (FuseMount fuse = FuseMount.start(tmp, "noflockfs.py")) {
            Runners.withLockDir(fuse.mount().resolve("locks")).withUserConfiguration(WriterBeans.class)
                    .withPropertyValues("filelock.type=auto").run(context -> {
                        assertThat(context).hasNotFailed();
                        assertThat(context.getBean(FileLockRegistries.class).registryFor("report").type())
                                .isEqualTo(LockType.SOFT);
                        assertThat(context.getBean(Writer.class).write()).as("runs under the soft lock")
                                .isEqualTo("written");
                    });
        }
    }

    @Test
    void aSharedMethodStartsWhereAutoFindsFlock() {
        Runners.withLockDir(tmp.resolve("locks")).withUserConfiguration(ReaderBeans.class)
                .withPropertyValues("filelock.type=auto").run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(FileLockRegistries.class).registryFor("report").type())
                            .isEqualTo(LockType.FLOCK);
                    assertThat(context.getBean(Reader.class).read()).as("runs under a shared flock")
                            .isEqualTo("read");
                });
    }

    /**
     * On a file system with flock, a name typed {@code auto} beside a {@code soft} application registry joins the
     * soft locks this JVM already uses on the directory: the start-up failure is right, and it must name that cause
     * and its fix, not only the file system (this one supports flock).
     */
    @Test
    void autoThatJoinedTheSoftSpaceOfItsDirectoryIsNotBlamedOnTheFileSystem() {
        Runners.withLockDir(tmp.resolve("locks")).withUserConfiguration(ReaderBeans.class)
                .withPropertyValues("filelock.type=soft", "filelock.locks.report.type=auto").run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = new FileLockFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("mode = SHARED on lock 'report'")
                            .contains("this JVM already uses soft locks on that directory");
                    assertThat(analysis.getAction()).contains("give every name on this directory one type");
                });
    }

    private static Throwable rootOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InvalidFileLockedMethodException) {
                return t;
            }
        }
        return failure;
    }

    @Configuration
    static class ReaderBeans {

        @Bean
        Reader reader() {
            return new Reader();
        }
    }

    static class Reader {

        @FileLocked(name = "report", mode = LockMode.SHARED, timeout = "5s")
        public String read() {
            return "read";
        }
    }

    @Configuration
    static class WriterBeans {

        @Bean
        Writer writer() {
            return new Writer();
        }
    }

    static class Writer {

        @FileLocked(name = "report", timeout = "5s")
        public String write() {
            return "written";
        }
    }
}
