package io.github.filelock.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.spring.support.HeldByAnotherThread;
import io.github.filelock.spring.support.Runners;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.util.FileSystemUtils;

/** The fileLock indicator on real directories: a healthy one, a missing one, a read-only tmpfs mount. */
class FileLockHealthIndicatorTests {

    @TempDir
    Path tmp;

    private ApplicationContextRunner runner(Path dir) {
        return Runners.withLockDir(dir).withConfiguration(AutoConfigurations.of(FileLockHealthAutoConfiguration.class));
    }

    @Test
    void upWithDirectoryMechanismAndSpace() {
        runner(tmp.resolve("locks")).run(context -> {
            Health health = context.getBean("fileLockHealthIndicator", FileLockHealthIndicator.class).health(true);
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("directory", tmp.resolve("locks").toRealPath().toString())
                    .containsEntry("held", 0).containsEntry("waiting", 0).containsKey("usableBytes");
        });
    }

    @Test
    void downWhenTheDirectoryDisappearsAfterStart() {
        runner(tmp.resolve("locks")).run(context -> {
            FileLockHealthIndicator indicator = context.getBean(FileLockHealthIndicator.class);
            FileSystemUtils.deleteRecursively(tmp.resolve("locks"));
            Health health = indicator.health(true);
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat((String) health.getDetails().get("error")).startsWith("Lock directory does not exist");
        });
    }

    @Test
    void downWhenTheFileSystemTurnsReadOnly() throws Exception {
        Path mount = Files.createDirectories(tmp.resolve("mnt"));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mount.toString()) == 0,
                "needs root to mount tmpfs");
        try {
            runner(mount.resolve("locks")).run(context -> {
                FileLockHealthIndicator indicator = context.getBean(FileLockHealthIndicator.class);
                assertThat(indicator.health(true).getStatus()).isEqualTo(Status.UP);
                assertThat(run("mount", "-o", "remount,ro", mount.toString())).isZero();
                Health health = indicator.health(true);
                assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                assertThat((String) health.getDetails().get("error")).contains("not writable");
            });
        } finally {
            run("umount", "-l", mount.toString());
        }
    }

    @Test
    void downWhenUsableSpaceIsBelowTheMinimum() {
        runner(tmp.resolve("locks")).withPropertyValues("filelock.health.min-free-bytes=" + Long.MAX_VALUE)
                .run(context -> {
            Health health = context.getBean(FileLockHealthIndicator.class).health(true);
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat((String) health.getDetails().get("error")).contains("filelock.health.min-free-bytes");
        });
    }

    @Test
    void longHoldsAndOldWaitersAreListedButStayUp() {
        runner(tmp.resolve("locks"))
                .withPropertyValues("filelock.health.max-hold=200ms", "filelock.health.max-wait=200ms")
                .run(context -> {
            FileLockRegistry registry = context.getBean(FileLockRegistry.class);
            FileLockHealthIndicator indicator = context.getBean(FileLockHealthIndicator.class);
            try (HeldByAnotherThread holder = new HeldByAnotherThread(registry, "report")) {
                Thread blocked = new Thread(() -> {
                    try {
                        registry.acquire("report", Duration.ofSeconds(30)).close();
                    } catch (RuntimeException e) {
                        // interrupted at the end of the test
                    }
                }, "report-waiter");
                blocked.start();
                while (registry.diagnostics().waiters().isEmpty()) {
                    Thread.sleep(5);
                }
                Health young = indicator.health(true);
                assertThat((List<?>) young.getDetails().get("longHolds")).isEmpty();
                assertThat((List<?>) young.getDetails().get("oldWaiters")).isEmpty();

                Thread.sleep(400); // let both pass their 200 ms thresholds
                Health old = indicator.health(true);
                assertThat(old.getStatus()).isEqualTo(Status.UP);
                assertThat(old.getDetails()).containsEntry("held", 1).containsEntry("waiting", 1);
                List<?> longHolds = (List<?>) old.getDetails().get("longHolds");
                assertThat(longHolds).singleElement().satisfies(h -> {
                    LockReports.Held held = (LockReports.Held) h;
                    assertThat(held.key()).isEqualTo("report");
                    assertThat(held.thread()).isEqualTo("holder-of-report");
                    assertThat(Duration.parse(held.heldFor())).isGreaterThan(Duration.ofMillis(200));
                });
                List<?> oldWaiters = (List<?>) old.getDetails().get("oldWaiters");
                assertThat(oldWaiters).singleElement().satisfies(w ->
                        assertThat(((LockReports.Waiter) w).thread()).isEqualTo("report-waiter"));
                blocked.interrupt();
                blocked.join(TimeUnit.SECONDS.toMillis(10));
            }
        });
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).inheritIO().start();
        return process.waitFor();
    }
}
