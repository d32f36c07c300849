package io.github.filelock.test.example;

import io.github.filelock.spring.FileLocked;
import io.github.filelock.spring.OnTimeout;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * The scheduled job of docs/test-support.md (linked from the README): every instance fires, one runs it, the others
 * skip.
 */
@Service
public class NightlyReport {

    private final AtomicInteger runs = new AtomicInteger();

    @Scheduled(cron = "0 0 2 * * *")
    @FileLocked(name = "nightly-report", timeout = "0", onTimeout = OnTimeout.SKIP)
    public void run() {
        runs.incrementAndGet();
    }

    public int runs() {
        return runs.get();
    }
}
