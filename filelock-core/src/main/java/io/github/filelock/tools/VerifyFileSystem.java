package io.github.filelock.tools;

import io.github.filelock.internal.MountInfo;
import io.github.filelock.internal.posix.LibC;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Checks a directory's file system before a lock type is chosen for it, as Python filelock's
 * {@code tasks/verify_filesystem.py} does: whether flock excludes between two processes, whether {@code O_EXCL}
 * create is atomic, whether hard links work, how fine the mtime is and what the mount is; then recommends a type.
 *
 * <pre>
 * java -cp filelock-core-0.2.0.jar:jna-5.18.1.jar io.github.filelock.tools.VerifyFileSystem /mnt/shared/locks
 * </pre>
 *
 * Exit status 0 when the checks ran (whatever they found), 1 when the directory cannot be checked, 2 on bad usage.
 */
public final class VerifyFileSystem {

    private VerifyFileSystem() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals(FlockExclusion.HOLD_FLAG)) {
            FlockExclusion.hold(Path.of(args[1]));
            return;
        }
        if (args.length != 1 || args[0].startsWith("-")) {
            System.err.println("Usage: java -cp filelock-core-<version>.jar:jna-<version>.jar "
                    + VerifyFileSystem.class.getName() + " <directory on the mount to check>");
            System.exit(2);
        }
        try {
            run(Path.of(args[0]), System.out);
        } catch (IOException | UnsupportedOperationException | LinkageError e) {
            System.err.println("Cannot check " + args[0] + ": " + e.getMessage());
            System.exit(1);
        }
    }

    /** Runs every check in {@code dir} (created if missing) and prints the findings and the advice. */
    static TypeAdvice.Advice run(Path dir, PrintStream out) throws IOException, InterruptedException {
        LibC.load();
        Path real = Files.createDirectories(dir).toRealPath();
        Optional<MountInfo> mount = MountInfo.of(real);
        out.println("filelock file-system check of " + real);
        out.println("  mount:              "
                + mount.map(MountInfo::describe).orElse("unknown (no /proc/self/mountinfo)"));
        FlockExclusion.Result flock = FlockExclusion.check(real);
        out.println("  flock, 2 processes: " + flock.verdict().name().replace('_', ' ') + " (" + flock.detail() + ")");
        ExclusiveCreate.Result excl = ExclusiveCreate.check(real);
        out.println("  O_EXCL create:      " + (excl.atomic() ? "ATOMIC" : "NOT ATOMIC") + " (" + excl.detail() + ")");
        HardLinks.Result links = HardLinks.check(real);
        out.println("  hard links:         " + (links.work() ? "WORK" : "FAIL") + " (" + links.detail() + ")");
        Duration mtime = MtimeGranularity.check(real);
        out.println("  mtime granularity:  " + (mtime == null ? "unknown (the time came back changed)"
                : MtimeGranularity.describe(mtime)));
        TypeAdvice.Advice advice = TypeAdvice.advise(new TypeAdvice.Findings(mount, flock.verdict(), excl.atomic(),
                links.work(), mtime));
        out.println("recommended type: " + advice.type());
        advice.why().forEach(line -> out.println("  - " + line));
        return advice;
    }
}
