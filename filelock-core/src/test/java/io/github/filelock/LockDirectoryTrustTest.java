package io.github.filelock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code build()} trusts a lock directory only if no other user controls it: the directory and each parent up to
 * a root-owned one must be owned by this user or root and writable only by the owner, a group of this process, or
 * (for a sticky parent such as {@code /tmp}) everyone. Real directories, a real second user ({@code nobody}, via
 * setpriv) and real {@code flock(1)}; the tests run as root, as CI does.
 */
@Timeout(60)
class LockDirectoryTrustTest {

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

    @Test
    void aDirectoryWritableByEveryUserIsRefusedNamingThePathAndTheRule() throws IOException {
        Path locks = Files.createDirectory(tmp.resolve("locks"));
        chmod(locks, 0777);

        assertRefused(locks)
                .hasMessageContaining(locks + " is writable by every user")
                .hasMessageContaining("chmod o-w " + locks)
                .hasMessageContaining("trustSharedDirectory(true)");
    }

    @Test
    void aParentWritableByEveryUserIsRefusedThoughTheLockDirectoryIsOwnerOnly() throws IOException {
        Path parent = Files.createDirectory(tmp.resolve("shared"));
        chmod(parent, 0777);
        Path locks = Files.createDirectory(parent.resolve("locks"));
        chmod(locks, 0700);

        assertRefused(locks)
                .hasMessageContaining("Lock directory " + locks + " is not trusted")
                .hasMessageContaining(parent + " is writable by every user and not sticky");
    }

    @Test
    void aStickyTmpLikeParentWithOurOwnSubdirectoryIsAllowed() throws IOException {
        Path locks = sharedTmp.resolve("app-locks");

        assertLocksIn(FileLockRegistry.builder(locks), locks);
    }

    @Test
    void aStickyWorldWritableDirectoryIsNoLockDirectoryItself() {
        assertRefused(sharedTmp)
                .hasMessageContaining(sharedTmp + " is writable by every user");
    }

    @Test
    void aDirectoryAnotherUserCreatedFirstIsRefusedNamingTheOwner() throws Exception {
        Path squatted = sharedTmp.resolve("app-locks");
        AnotherUser.must("mkdir -m 755 " + squatted);

        assertRefused(squatted)
                .hasMessageContaining(squatted + " is owned by " + AnotherUser.NAME + " (uid " + AnotherUser.UID + ")")
                .hasMessageContaining("neither this process's user (uid 0) nor root");
    }

    @Test
    void nothingIsCreatedInsideADirectoryAnotherUserControls() throws Exception {
        Path theirs = sharedTmp.resolve("theirs");
        AnotherUser.must("mkdir -m 777 " + theirs);
        Path locks = theirs.resolve("app").resolve("locks");

        assertThatThrownBy(() -> FileLockRegistry.builder(locks).build())
                .isInstanceOf(UntrustedLockDirectoryException.class)
                .hasMessageContaining(theirs + " is owned by " + AnotherUser.NAME);
        assertThat(theirs.resolve("app")).as("nothing of ours in their directory").doesNotExist();
    }

    @Test
    void aGroupSharedDirectoryIsAllowedOnlyForAGroupOfThisProcess() throws IOException {
        Path ours = Files.createDirectory(tmp.resolve("ours"));
        chmod(ours, 02770); // root:root, and root is in group root
        try (FileLockRegistry registry = FileLockRegistry.builder(ours).build()) {
            assertThat(registry.directory()).isEqualTo(ours.toRealPath());
        }

        Path theirs = Files.createDirectory(tmp.resolve("theirs"));
        GroupPrincipal nogroup = tmp.getFileSystem().getUserPrincipalLookupService()
                .lookupPrincipalByGroupName("nogroup");
        Files.getFileAttributeView(theirs, PosixFileAttributeView.class).setGroup(nogroup);
        chmod(theirs, 02770);
        assertRefused(theirs)
                .hasMessageContaining(theirs + " is writable by group nogroup (gid 65534),"
                        + " which this process is not in");
    }

    @Test
    void aSharedDirectoryAnotherUserOwnsIsUsedOnlyWithTheOptOut() throws Exception {
        // What a CIFS mount with uid=nobody,dir_mode=0777 looks like: every entry owned by someone else, open to all.
        Path mount = sharedTmp.resolve("cifs");
        AnotherUser.must("mkdir -m 2777 " + mount);

        assertThatThrownBy(() -> FileLockRegistry.builder(mount).build())
                .isInstanceOfSatisfying(UntrustedLockDirectoryException.class, e -> {
                    assertThat(e.offendingPath()).isEqualTo(mount);
                    assertThat(e.problem()).isEqualTo(mount + " is owned by nobody (uid 65534), neither this"
                            + " process's user (uid 0) nor root");
                })
                .hasMessageContaining("trustSharedDirectory(true)");

        assertLocksIn(FileLockRegistry.builder(mount).trustSharedDirectory(true), mount);
    }

    @Test
    void theRecommendedGroupSetupLetsMembersOpenLockFilesReadWriteAndNoOneElse() throws Exception {
        // README: a group, mode 2770, and file permissions rw-rw---- (the engine opens lock files O_RDWR).
        Path shared = Files.createDirectory(tmp.resolve("shared")); // root:root, and this process is in group root
        chmod(shared, 02770);
        Path defaultFile;
        Path groupFile;
        try (FileLockRegistry plain = FileLockRegistry.builder(shared).build()) {
            defaultFile = plain.diagnostics().lockFile("default");
            plain.acquire("default", Duration.ofSeconds(5)).close();
        }
        try (FileLockRegistry grouped = FileLockRegistry.builder(shared).filePermissions("rw-rw----").build()) {
            groupFile = grouped.diagnostics().lockFile("grouped");
            grouped.acquire("grouped", Duration.ofSeconds(5)).close();
        }

        String openReadWrite = "exec 3<>\"$0\" && flock --nonblock 3";
        assertThat(AnotherUser.runInGroup(0, "sh", "-c", openReadWrite, groupFile.toString()).exitCode())
                .as("a member opens a rw-rw---- lock file read-write and locks it").isZero();
        assertThat(AnotherUser.runInGroup(0, "sh", "-c", openReadWrite, defaultFile.toString()).output())
                .as("a member cannot open another user's rw-r--r-- lock file read-write").contains("Permission denied");
        assertThat(AnotherUser.run("sh", "-c", openReadWrite, groupFile.toString()).output())
                .as("someone outside the group cannot even reach it").contains("Permission denied");
    }

    @Test
    void aSymlinkedLockDirectoryIsJudgedWhereItReallyIs() throws Exception {
        Path theirs = sharedTmp.resolve("theirs");
        AnotherUser.must("mkdir -m 777 " + theirs);
        Path mine = Files.createDirectory(tmp.resolve("mine"));
        Path link = Files.createSymbolicLink(mine.resolve("locks"), theirs);

        assertRefused(link)
                .hasMessageContaining("Lock directory " + link + " is not trusted")
                .hasMessageContaining(theirs + " is owned by " + AnotherUser.NAME);
    }

    @Test
    void aSymlinkAnotherUserPlantedIsRefusedEvenIfItPointsToOurDirectory() throws Exception {
        Path ours = Files.createDirectory(tmp.resolve("ours"));
        chmod(ours, 0700);
        Path planted = sharedTmp.resolve("app-locks");
        AnotherUser.must("ln -s " + ours + " " + planted);

        assertRefused(planted)
                .hasMessageContaining(planted + " is a symlink owned by " + AnotherUser.NAME);
    }

    @Test
    void anotherUserCannotHoldAFlockInAnOwnerOnlyDirectory() throws Exception {
        Path locks = tmp.resolve("locks");
        Path file;
        try (FileLockRegistry registry = FileLockRegistry.builder(locks).build()) {
            file = registry.diagnostics().lockFile("job");
            registry.acquire("job", Duration.ofSeconds(5)).close();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(locks))).isEqualTo("rwx------");

        AnotherUser.Result denied = AnotherUser.run("flock", "--nonblock", "--shared", file.toString(), "true");
        assertThat(denied.exitCode()).as(denied.output()).isNotZero();
        assertThat(denied.output()).contains("Permission denied");

        // Control: once others may enter the directory, the read-only open of a rw-r--r-- file is enough to hold it.
        chmod(locks, 0755);
        AnotherUser.Result held = AnotherUser.run("flock", "--nonblock", "--shared", file.toString(), "true");
        assertThat(held.exitCode()).as(held.output()).isZero();
    }

    @Test
    void aSoftMarkerPlantedInAnUntrustedDirectoryIsNeverBelieved() throws Exception {
        Path shared = sharedTmp.resolve("soft");
        AnotherUser.must("mkdir -m 777 " + shared + " && printf '4242\\nelsewhere\\n1\\n' > " + shared + "/job.lock");

        // Believed, this fresh marker from another host would keep "job" from us for a whole lease.
        assertThatThrownBy(() -> FileLockRegistry.builder(shared).type(LockType.SOFT).build())
                .isInstanceOf(FileLockException.class)
                .hasMessageContaining(shared + " is owned by " + AnotherUser.NAME);
        assertThat(shared.resolve("job.lock")).as("the planted marker is left as it was").exists();
    }

    // build() refuses the directory; the caller names the reason the message must give.
    private static AbstractThrowableAssert<?, ? extends Throwable> assertRefused(Path dir) {
        return assertThatThrownBy(() -> FileLockRegistry.builder(dir).build()).isInstanceOf(FileLockException.class);
    }

    // The registry builds, and its lock files land in the real directory behind dir.
    private static void assertLocksIn(FileLockRegistry.Builder builder, Path dir) throws IOException {
        try (FileLockRegistry registry = builder.build();
                FileLockHold hold = registry.acquire("job", Duration.ofSeconds(5))) {
            assertThat(hold.file()).hasParent(dir.toRealPath());
        }
    }

    static void chmod(Path path, int mode) throws IOException {
        Files.setAttribute(path, "unix:mode", mode);
    }
}
