package io.github.filelock.spring.actuate;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** Thresholds of the {@code fileLock} health indicator's details. */
@ConfigurationProperties(prefix = "filelock.health")
public class FileLockHealthProperties {

    /**
     * Holds of this JVM older than this are listed under the health details' longHolds. They do not change the
     * status: a long hold is a job still running, not a broken service.
     */
    private Duration maxHold = Duration.ofMinutes(10);

    /**
     * Waiters of this JVM older than this are listed under the health details' oldWaiters. They do not change
     * the status either.
     */
    private Duration maxWait = Duration.ofMinutes(1);

    /** The lock directory's file system must have at least this much usable space for UP. */
    private long minFreeBytes = 1_048_576;

    public Duration getMaxHold() {
        return maxHold;
    }

    public void setMaxHold(Duration maxHold) {
        this.maxHold = maxHold;
    }

    public Duration getMaxWait() {
        return maxWait;
    }

    public void setMaxWait(Duration maxWait) {
        this.maxWait = maxWait;
    }

    public long getMinFreeBytes() {
        return minFreeBytes;
    }

    public void setMinFreeBytes(long minFreeBytes) {
        this.minFreeBytes = minFreeBytes;
    }
}
