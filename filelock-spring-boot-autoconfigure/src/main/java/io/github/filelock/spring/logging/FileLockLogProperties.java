package io.github.filelock.spring.logging;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** Logging of lock waits, under logger {@code io.github.filelock}. */
@ConfigurationProperties(prefix = "filelock.log")
public class FileLockLogProperties {

    /**
     * Log a WARN, naming the holder, when a thread has waited this long for a lock (once per wait). 0 or a
     * negative value turns the warning off.
     */
    private Duration slowWait = Duration.ofSeconds(5);

    public Duration getSlowWait() {
        return slowWait;
    }

    public void setSlowWait(Duration slowWait) {
        this.slowWait = slowWait;
    }
}
