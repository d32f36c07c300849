package io.github.filelock.tools;

import com.sun.jna.LastErrorException;
import io.github.filelock.internal.posix.CPath;
import io.github.filelock.internal.posix.Errno;
import io.github.filelock.internal.posix.LibC;
import io.github.filelock.internal.posix.Platform;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Whether {@code flock(2)} excludes between two processes in a directory: a child JVM on this JVM's class path takes
 * the lock, this process must then be refused, and granted once the child lets go. Two processes of one host prove
 * nothing about a second host: that rests on the file server.
 */
final class FlockExclusion {

    static final String HOLD_FLAG = "--hold-flock";

    private static final int LOCK_EX_NB = 2 | 4; // LOCK_EX | LOCK_NB, the same on Linux and macOS
    private static final int LOCK_UN = 8;

    /** What the two processes saw. */
    enum Verdict {
        /** The second process was refused while the first held, and granted after. */
        EXCLUDES,
        /** Both held the lock at once. */
        DOES_NOT_EXCLUDE,
        /** The file system refuses flock (ENOLCK, EOPNOTSUPP, ENOSYS). */
        REFUSED
    }

    record Result(Verdict verdict, String detail) {
    }

    private FlockExclusion() {
    }

    static Result check(Path dir) throws IOException, InterruptedException {
        // A directory of this run's own: another run on the same directory (another operator, another host) keeps
        // its probe file, which deleting would hand it a new file beside the one its child locked.
        Path space = Files.createTempDirectory(dir, ".filelock-verify-flock");
        Path file = space.resolve("probe");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(List.of(java, "-Xmx32m", "-cp", System.getProperty("java.class.path"),
                VerifyFileSystem.class.getName(), HOLD_FLAG, file.toString()))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        try (OutputStream in = child.getOutputStream()) {
            String first = readLine(out, child);
            if (first.startsWith("REFUSED ")) {
                return new Result(Verdict.REFUSED, first.substring("REFUSED ".length()));
            }
            if (!first.equals("HELD")) {
                throw new IOException("The flock child (pid " + child.pid() + ") said: " + first);
            }
            int fd = open(file);
            try {
                if (tryLock(fd)) {
                    return new Result(Verdict.DOES_NOT_EXCLUDE, "this process took the lock while a child process"
                            + " (pid " + child.pid() + ") held it");
                }
                in.write('\n');
                in.flush();
                String released = readLine(out, child);
                if (!released.equals("RELEASED")) {
                    throw new IOException("The flock child (pid " + child.pid() + ") said: " + released);
                }
                if (!tryLock(fd)) {
                    throw new IOException("flock stayed refused after the child (pid " + child.pid() + ") let go");
                }
                return new Result(Verdict.EXCLUDES, "refused while a child process (pid " + child.pid()
                        + ") held it, granted once it let go");
            } finally {
                LibC.close(fd);
            }
        } catch (LastErrorException e) {
            throw new IOException("flock on " + file + " failed: " + Errno.describe(e.getErrorCode()), e);
        } finally {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            Tidy.delete(space);
        }
    }

    /** The child's side: hold the lock until a line (or end of input) arrives, then let go and say so. */
    static void hold(Path file) throws IOException {
        int fd = open(file);
        try {
            if (!tryLock(fd)) {
                System.out.println("BUSY another process holds " + file + ": run the verifier again");
                return;
            }
        } catch (LastErrorException e) {
            System.out.println("REFUSED " + Errno.describe(e.getErrorCode()));
            return;
        }
        System.out.println("HELD");
        System.out.flush();
        System.in.read();
        LibC.flock(fd, LOCK_UN);
        System.out.println("RELEASED");
        System.out.flush();
    }

    private static int open(Path file) {
        Platform p = Platform.current();
        return LibC.open(CPath.of(file), p.rdwr() | p.create() | p.noFollow() | p.closeOnExec(), 0644);
    }

    // True when granted, false when another holds it; a refusal of flock itself throws.
    private static boolean tryLock(int fd) {
        try {
            LibC.flock(fd, LOCK_EX_NB);
            return true;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Platform.current().ewouldblock()) {
                return false;
            }
            throw e;
        }
    }

    private static String readLine(BufferedReader out, Process child) throws IOException, InterruptedException {
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        try {
            String read = line.get(60, TimeUnit.SECONDS);
            if (read == null) {
                throw new IOException("The flock child (pid " + child.pid() + ") exited without an answer");
            }
            return read;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("The flock child (pid " + child.pid() + ") did not answer within 60 s", e);
        }
    }
}
