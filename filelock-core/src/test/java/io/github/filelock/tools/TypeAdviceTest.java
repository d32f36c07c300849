package io.github.filelock.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.internal.MountInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The advice for findings no test machine here can produce: an NFS mount, a mount without atomic O_EXCL. */
class TypeAdviceTest {

    @Test
    void flockOnNfsIsRecommendedOnlyWithTheServersWordAndStrictSoftAsTheFallback() {
        TypeAdvice.Advice advice = TypeAdvice.advise(new TypeAdvice.Findings(nfs(), FlockExclusion.Verdict.EXCLUDES,
                true, true, Duration.ofNanos(1)));

        assertThat(advice.type()).isEqualTo("flock");
        assertThat(advice.why()).anySatisfy(line -> assertThat(line).contains("nfs4 is shared with other hosts",
                "only if the server enforces it", "use strict-soft instead"));
        assertThat(advice.why()).last().asString().contains("cannot be proven from one host");
    }

    @Test
    void withoutAtomicExclusiveCreateNoFileTypeIsSafe() {
        TypeAdvice.Advice advice = TypeAdvice.advise(new TypeAdvice.Findings(nfs(), FlockExclusion.Verdict.REFUSED,
                false, true, Duration.ofSeconds(1)));

        assertThat(advice.type()).isEqualTo("postgres");
        assertThat(advice.why()).anySatisfy(line -> assertThat(line).contains("mtime is kept coarsely"));
    }

    @Test
    void withoutHardLinksSoftReplacesStrictSoft() {
        TypeAdvice.Advice advice = TypeAdvice.advise(new TypeAdvice.Findings(nfs(),
                FlockExclusion.Verdict.DOES_NOT_EXCLUDE, true, false, Duration.ofNanos(1)));

        assertThat(advice.type()).isEqualTo("soft");
        assertThat(advice.why()).anySatisfy(line -> assertThat(line).contains("flock does not exclude here"));
    }

    // Off Linux there is no /proc/self/mountinfo: nothing says the directory is local, so flock is not called safe.
    @Test
    void anUnknownMountIsNotCalledLocal() {
        TypeAdvice.Advice advice = TypeAdvice.advise(new TypeAdvice.Findings(Optional.empty(),
                FlockExclusion.Verdict.EXCLUDES, true, true, Duration.ofNanos(1)));

        assertThat(advice.type()).isEqualTo("flock");
        assertThat(advice.why()).noneMatch(line -> line.contains("local file system"));
        assertThat(advice.why()).anySatisfy(line -> assertThat(line).contains("the mount type is unknown",
                "only if the server enforces it", "use strict-soft instead"));
    }

    private static Optional<MountInfo> nfs() {
        return Optional.of(new MountInfo(Path.of("/mnt/shared"), "nfs4", "server:/export", "0:52"));
    }
}
