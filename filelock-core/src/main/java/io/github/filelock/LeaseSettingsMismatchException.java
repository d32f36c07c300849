package io.github.filelock;

import java.nio.file.Path;

/**
 * A {@code soft-lease} contender found a lease marker written under another lease duration than its own. Every
 * contender for a lock must agree on the lease, as with Python filelock's {@code LeaseSettingsMismatch}: one that
 * applied its own expiry to a holder that never agreed to it could break a live holder's marker, or wait too long.
 */
public class LeaseSettingsMismatchException extends FileLockException {

    private static final long serialVersionUID = 1L;

    private final Path file;
    private final double markerSeconds;
    private final double ourSeconds;

    public LeaseSettingsMismatchException(Path file, String holder, double markerSeconds, double ourSeconds) {
        super("Lease marker " + file + " holds a lease of " + markerSeconds + " s (" + holder + "), but this process"
                + " uses a lease of " + ourSeconds + " s: every process that locks a soft-lease name must use the same"
                + " lease (Java filelock.soft.lease or FileLockRegistry.Builder.softLease, Python SoftFileLease"
                + " lease_duration). Set this process's lease to " + markerSeconds + " s, or change the others.");
        this.file = file;
        this.markerSeconds = markerSeconds;
        this.ourSeconds = ourSeconds;
    }

    /** The lock's marker file. */
    public Path file() {
        return file;
    }

    /** The lease written in the marker, in seconds. */
    public double markerSeconds() {
        return markerSeconds;
    }

    /** This process's lease, in seconds. */
    public double ourSeconds() {
        return ourSeconds;
    }
}
