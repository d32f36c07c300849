package io.github.filelock.internal.soft;

import com.sun.jna.LastErrorException;
import io.github.filelock.internal.ProcessIdentity;
import io.github.filelock.internal.posix.Errno;
import io.github.filelock.internal.posix.LibC;
import java.math.BigInteger;
import java.util.Optional;

/**
 * Whether the owner a marker names is provably gone, as Python filelock's {@code owner_is_stale} decides it. Fail
 * closed: only a proof of death breaks a marker. Another host's owner cannot be probed; a live pid whose start token
 * matches, or cannot be read, is the holder or indistinguishable from it; a live pid with another start token was
 * reused, so the writer is gone.
 */
public final class OwnerLiveness {

    private OwnerLiveness() {
    }

    /** True only when this process can prove that the owner ({@code pid} on {@code host}) is dead. */
    public static boolean provablyGone(long pid, String host, Optional<BigInteger> startToken) {
        if (!host.equals(ProcessIdentity.HOST) || pid < 1 || pid > Integer.MAX_VALUE) {
            return false;
        }
        if (!alive(pid)) {
            return true;
        }
        return startToken.isPresent() && !StartTokens.matches(startToken.get(), pid);
    }

    /**
     * {@code kill(pid, 0)}: ESRCH is the only proof of death; EPERM means the process exists under another user.
     * Unlike {@code ProcessHandle}, this does not read {@code /proc}, which {@code hidepid} hides.
     */
    static boolean alive(long pid) {
        try {
            LibC.kill((int) pid, 0);
            return true;
        } catch (LastErrorException e) {
            return e.getErrorCode() != Errno.ESRCH;
        }
    }
}
