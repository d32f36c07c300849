package io.github.filelock.spring.autoconfigure;

import static io.github.filelock.spring.autoconfigure.FileLockAutoConfigurationTests.assertAnalysis;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.spring.support.AnotherUser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The default lock directory is one no other user can take first, and a lock directory someone else controls
 * fails start-up with a failure analysis. {@code java.io.tmpdir} and {@code XDG_RUNTIME_DIR} are given through
 * the Environment, which is where the default is read from; the second user is the real {@code nobody}.
 */
class LockDirectoryTrustTests {

    @TempDir
    Path tmp;

    /** A world-writable sticky directory, as /tmp is, that nobody can reach. */
    Path sharedTmp;

    @BeforeEach
    void aTmpLikeDirectory() throws IOException {
        AnotherUser.assumeRoot();
        chmod(tmp, 0755);
        sharedTmp = Files.createDirectory(tmp.resolve("tmp"));
        chmod(sharedTmp, 01777);
    }

    private ApplicationContextRunner withDefaultDirectory(String xdgRuntimeDir) {
        return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(FileLockAutoConfiguration.class))
                .withPropertyValues("spring.application.name=billing", "java.io.tmpdir=" + sharedTmp,
                        "XDG_RUNTIME_DIR=" + xdgRuntimeDir);
    }

    @Test
    void theDefaultIsAPerUserDirectoryUnderTheTempDirectoryCreatedOwnerOnly() {
        withDefaultDirectory("").run(context -> {
            Path perUser = sharedTmp.resolve("filelock-0");
            assertThat(context.getBean(FileLockRegistry.class).directory()).isEqualTo(perUser.resolve("billing"));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(perUser))).isEqualTo("rwx------");
        });
    }

    @Test
    void theDefaultPrefersXdgRuntimeDirWhereItExists() throws IOException {
        Path runtime = Files.createDirectory(tmp.resolve("run-user-0"));
        chmod(runtime, 0700);
        withDefaultDirectory(runtime.toString()).run(context -> assertThat(
                context.getBean(FileLockRegistry.class).directory()).isEqualTo(runtime.resolve("filelock/billing")));
        withDefaultDirectory(tmp.resolve("missing").toString()).run(context -> assertThat(
                context.getBean(FileLockRegistry.class).directory())
                        .isEqualTo(sharedTmp.resolve("filelock-0/billing")));
        withDefaultDirectory("target").run(context -> assertThat( // relative: ignored, as the XDG spec says
                context.getBean(FileLockRegistry.class).directory())
                        .isEqualTo(sharedTmp.resolve("filelock-0/billing")));
    }

    @Test
    void anotherUsersXdgRuntimeDirIsNotTheDefault() throws Exception {
        // What `su` leaves behind: XDG_RUNTIME_DIR still names the previous user's directory.
        Path theirs = sharedTmp.resolve("run-user-65534");
        AnotherUser.must("mkdir -m 700 " + theirs);
        withDefaultDirectory(theirs.toString()).run(context -> assertThat(
                context.getBean(FileLockRegistry.class).directory())
                        .isEqualTo(sharedTmp.resolve("filelock-0/billing")));
    }

    @Test
    void aSquattedDefaultDirectoryFailsStartUpSayingWhatToSet() throws Exception {
        Path squatted = sharedTmp.resolve("filelock-0");
        AnotherUser.must("mkdir -m 777 " + squatted);

        withDefaultDirectory("").run(context -> assertAnalysis(context,
                "Invalid value '" + squatted.resolve("billing") + " (the default, since filelock.dir is not set)' for"
                        + " filelock.dir: lock directory " + squatted.resolve("billing") + " is not trusted: "
                        + squatted
                        + " is owned by nobody (uid 65534), neither this process's user (uid 0) nor root",
                "Set filelock.dir to a directory that only this service's user (or its group) can write"));
    }

    @Test
    void aConfiguredDirectoryOthersCanWriteFailsStartUpNamingTheRuleAndTheOptOut() throws IOException {
        Path shared = Files.createDirectory(tmp.resolve("shared"));
        chmod(shared, 0777);
        withDefaultDirectory("").withPropertyValues("filelock.dir=" + shared).run(context -> assertAnalysis(context,
                "for filelock.dir: lock directory " + shared + " is not trusted: " + shared
                        + " is writable by every user and not sticky",
                "Run chmod o-w " + shared));
        withDefaultDirectory("").withPropertyValues("filelock.dir=" + shared).run(context -> assertAnalysis(context,
                "is not trusted", "set filelock.trust-shared-directory=true instead"));
    }

    @Test
    void trustSharedDirectoryUsesAMountWithoutMeaningfulPermissions() throws Exception {
        Path mount = sharedTmp.resolve("cifs"); // as CIFS with uid=nobody,dir_mode=0777 shows every directory
        AnotherUser.must("mkdir -m 777 " + mount);
        withDefaultDirectory("").withPropertyValues("filelock.dir=" + mount, "filelock.trust-shared-directory=true")
                .run(context -> assertThat(context.getBean(FileLockRegistry.class).directory()).isEqualTo(mount));
    }

    static void chmod(Path path, int mode) throws IOException {
        Files.setAttribute(path, "unix:mode", mode);
    }
}
