package io.github.filelock.tools;

import io.github.filelock.internal.MountInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Which lock type the verifier's findings point to. One host's findings can rule types out, never prove cross-host
 * exclusion: the advice says so every time.
 */
final class TypeAdvice {

    // File systems whose locks and files other hosts share, so that flock working here says nothing about them.
    private static final Set<String> SHARED = Set.of("nfs", "nfs4", "cifs", "smb3", "smbfs", "ceph", "glusterfs",
            "lustre", "gpfs", "beegfs", "9p", "afs", "ocfs2", "gfs2", "virtiofs");

    /** What the checks found. */
    record Findings(Optional<MountInfo> mount, FlockExclusion.Verdict flock, boolean exclusiveCreate,
            boolean hardLinks, @Nullable Duration mtimeGranularity) {
    }

    /** The type, and the lines that explain it. */
    record Advice(String type, List<String> why) {
    }

    private TypeAdvice() {
    }

    static Advice advise(Findings found) {
        List<String> why = new ArrayList<>();
        // An unknown mount (no /proc/self/mountinfo) may be shared: nothing here says it is local.
        String fs = found.mount().map(m -> m.fsType().toLowerCase(Locale.ROOT)).orElse("unknown");
        boolean shared = found.mount().isEmpty() || SHARED.contains(fs) || fs.startsWith("fuse")
                || fs.startsWith("nfs");
        String type;
        if (found.flock() == FlockExclusion.Verdict.EXCLUDES) {
            type = "flock";
            if (shared) {
                why.add("flock excludes between processes of this host, but " + (found.mount().isEmpty()
                        ? "the mount type is unknown, so it may be" : fs + " is") + " shared with other hosts:"
                        + " flock excludes across hosts only if the server enforces it (NFSv4, NFSv3 with lockd,"
                        + " SMB byte-range locks). If it does not, use strict-soft" + (found.hardLinks() ? "" : " (hard"
                        + " links failed here: soft)") + " instead.");
            } else {
                why.add("flock excludes here and " + fs + " is a local file system: the kernel frees a dead"
                        + " holder's lock at once, with no marker to clean up.");
            }
        } else if (!found.exclusiveCreate()) {
            type = "postgres";
            why.add("flock " + (found.flock() == FlockExclusion.Verdict.REFUSED ? "is refused" : "does not exclude")
                    + " and O_EXCL create is not atomic here: no file-based type is safe on this mount. Use"
                    + " filelock.type=postgres, or another directory.");
        } else {
            why.add("flock " + (found.flock() == FlockExclusion.Verdict.REFUSED ? "is refused" : "does not exclude")
                    + " here: use a soft type, the one your Python processes use for the same names"
                    + " (SoftFileLock: soft, SoftFileLease: soft-lease, StrictSoftFileLock: strict-soft,"
                    + " SoftReadWriteLock: soft-rw).");
            if (found.hardLinks()) {
                type = "strict-soft";
                why.add("strict-soft (hard links work here): never broken by age, so two holders never overlap;"
                        + " a holder that crashed leaves its claim until an operator breaks it.");
            } else {
                type = "soft";
                why.add("soft (hard links fail here, so strict-soft is out): another host's marker is never broken"
                        + " by age; a crashed holder on another host needs an operator break.");
            }
            why.add("soft-lease instead when progress matters more than exclusion (a marker whose lease ran out is"
                    + " broken while its holder may still run); soft-rw for readers and a writer.");
        }
        if (found.mtimeGranularity() == null || found.mtimeGranularity().compareTo(Duration.ofSeconds(1)) >= 0) {
            why.add("mtime is kept coarsely here: soft-lease and soft-rw judge staleness by mtime, so keep their"
                    + " lease and stale threshold many times longer than " + (found.mtimeGranularity() == null
                            ? "the unknown granularity" : MtimeGranularity.describe(found.mtimeGranularity())) + ".");
        }
        why.add("Cross-host exclusion of flock cannot be proven from one host, nor O_EXCL's atomicity between"
                + " clients: this run saw processes of one host. Before trusting either, hold a lock from a second host"
                + " on the same directory and check that this host is refused.");
        return new Advice(type, List.copyOf(why));
    }
}
