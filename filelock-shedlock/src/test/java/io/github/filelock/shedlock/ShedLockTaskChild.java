package io.github.filelock.shedlock;

import io.github.filelock.FileLockRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import net.javacrumbs.shedlock.core.DefaultLockingTaskExecutor;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockingTaskExecutor.TaskResult;

/**
 * Another instance of a scheduled app: runs a task through ShedLock's {@link DefaultLockingTaskExecutor} with
 * a {@link FileLockProvider}, as {@code @SchedulerLock} does. Arguments: directory, lock name. Prints
 * {@code READY}; on each stdin line {@code run} it runs the task once and prints {@code EXECUTED} or
 * {@code SKIPPED}; the task prints {@code RUNNING} and waits for the line {@code finish}.
 */
public final class ShedLockTaskChild {

    public static void main(String[] args) throws Throwable {
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (FileLockRegistry registry = FileLockRegistry.builder(Path.of(args[0])).build();
                FileLockProvider provider = new FileLockProvider(registry)) {
            DefaultLockingTaskExecutor executor = new DefaultLockingTaskExecutor(provider);
            System.out.println("READY");
            for (String line = stdin.readLine(); "run".equals(line); line = stdin.readLine()) {
                TaskResult<String> result = executor.executeWithLock(() -> {
                    System.out.println("RUNNING");
                    return stdin.readLine();
                }, new LockConfiguration(Instant.now(), args[1], Duration.ofMinutes(5), Duration.ZERO));
                System.out.println(result.wasExecuted() ? "EXECUTED" : "SKIPPED");
            }
        }
    }
}
