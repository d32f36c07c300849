package io.github.filelock.internal.soft;

import com.sun.jna.LastErrorException;
import io.github.filelock.internal.posix.Errno;
import io.github.filelock.internal.posix.LibC;
import java.math.BigInteger;
import java.util.Optional;

/**
 * Whether the owner a marker names is provably gone, as Python filelock's {@code owner_is_stale} decides it. Fail
 * closed: only a proof of death breaks a marker. An owner whose host field is not this process's own
 * ({@link PidNamespace#markerHost()}: another host, or another pid namespace of this host) cannot be probed; a live
 * pid whose start token matches, or cannot be read, is the holder or indistinguishable from it; a live pid with
 * another start token was reused, so the writer is gone.
 */
public final class OwnerLiveness {

    private OwnerLiveness() {
    }

    /** True only when this process can prove that the owner ({@code pid} on {@code host}) is dead. */
    public static boolean provablyGone(long pid, String host, Optional<BigInteger> startToken) {
        return goneBecause(pid, host, startToken).isPresent();
    }

    /** Why the owner is provably gone, or empty when it may be alive. */
    public static Optional<String> goneBecause(long pid, String host, Optional<BigInteger> startToken) {
        if (!host.equals(PidNamespace.markerHost()) || pid < 1 || pid > Integer.MAX_VALUE) {
            return Optional.empty();
        }
        if (!alive(pid)) {
            return Optional.of("its holder, pid " + pid + " on " + host + ", is not running");
        }
        if (startToken.isPresent() && !StartTokens.matches(startToken.get(), pid)) {
            return Optional.of("pid " + pid + " was reused by another process (its start token differs)");
        }
        return Optional.empty();
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
