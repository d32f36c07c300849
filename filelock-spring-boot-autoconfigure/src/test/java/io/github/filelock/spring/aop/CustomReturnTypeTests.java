package io.github.filelock.spring.aop;

import static io.github.filelock.spring.support.FlockTool.otherProcessCanLock;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.spring.FileLocked;
import io.github.filelock.spring.OnTimeout;
import io.github.filelock.spring.returntype.FileLockedInvocation;
import io.github.filelock.spring.returntype.FileLockedReturnType;
import io.github.filelock.spring.support.HeldByAnotherThread;
import io.github.filelock.spring.support.LockRecorder;
import io.github.filelock.spring.support.Runners;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * An application teaches {@code @FileLocked} a result type of its own with a {@link FileLockedReturnType} bean, and
 * the interceptor follows it unchanged: a {@link Deferred} is work that runs when {@code run()} is called, so the
 * lock must be held then, not while the method returns it. flock(1) checks the lock from another process.
 */
class CustomReturnTypeTests {

    @TempDir
    Path tmp;

    @Test
    void theLockIsHeldWhenTheDeferredWorkRunsNotWhenTheMethodReturns() throws Exception {
        run(context -> {
            Path file = context.getBean(FileLockRegistry.class).diagnostics().lockFile("report");
            Deferred<Boolean> report = context.getBean(Reports.class).build(file);
            assertThat(otherProcessCanLock(file)).as("returning the work takes no lock").isTrue();
            assertThat(report.run()).as("held by this process while the work runs").isFalse();
            assertThat(otherProcessCanLock(file)).as("released when the work is done").isTrue();
            LockRecorder recorder = context.getBean(LockRecorder.class);
            assertThat(recorder.events).containsExactly("request report", "acquired report", "released report");
            assertThat(recorder.requests.get(0).asyncResult()).isTrue();
        });
    }

    @Test
    void skipGivesTheExtensionsOwnNothing() throws Exception {
        run(context -> {
            Path file = context.getBean(FileLockRegistry.class).diagnostics().lockFile("report");
            try (HeldByAnotherThread held = new HeldByAnotherThread(context.getBean(FileLockRegistry.class),
                    "report")) {
                assertThat(context.getBean(Reports.class).buildOrSkip(file).run()).isNull();
            }
            assertThat(context.getBean(LockRecorder.class).events).containsExactly("request report", "SKIPPED report");
        });
    }

    private void run(ContextTest test) {
        Runners.withLockDir(tmp).withUserConfiguration(Beans.class).run(context -> {
            assertThat(context).hasNotFailed();
            test.run(context);
        });
    }

    interface ContextTest {
        void run(AssertableApplicationContext context) throws Exception;
    }

    /** The test's own result type: work that runs later, when asked. */
    static final class Deferred<T> {

        private final Callable<T> work;

        private Deferred(Callable<T> work) {
            this.work = work;
        }

        static <T> Deferred<T> of(Callable<T> work) {
            return new Deferred<>(work);
        }

        T run() throws Exception {
            return work.call();
        }
    }

    /** Holds the lock around {@code run()} of the Deferred the method returns; SKIP yields a Deferred of null. */
    static final class DeferredReturnType implements FileLockedReturnType {

        @Override
        public boolean supports(Class<?> returnType) {
            return returnType == Deferred.class;
        }

        @Override
        public boolean isAsync() {
            return true;
        }

        @Override
        public Object invoke(FileLockedInvocation invocation) {
            return Deferred.of(() -> runLocked(invocation));
        }

        private static @Nullable Object runLocked(FileLockedInvocation invocation) throws Exception {
            try {
                return invocation.callLocked(() -> ((Deferred<?>) invocation.proceed()).run(), () -> null);
            } catch (Exception | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }
    }

    static class Reports {

        @FileLocked(name = "report", timeout = "5s")
        public Deferred<Boolean> build(Path file) {
            return Deferred.of(() -> otherProcessCanLock(file));
        }

        @FileLocked(name = "report", timeout = "0", onTimeout = OnTimeout.SKIP)
        public Deferred<Boolean> buildOrSkip(Path file) {
            return Deferred.of(() -> otherProcessCanLock(file));
        }
    }

    @Configuration
    static class Beans {

        @Bean
        DeferredReturnType deferredReturnType() {
            return new DeferredReturnType();
        }

        @Bean
        Reports reports() {
            return new Reports();
        }

        @Bean
        LockRecorder lockRecorder() {
            return new LockRecorder();
        }
    }
}
