package io.github.filelock.spring.aop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.FileLockTimeoutException;
import io.github.filelock.LocalHold;
import io.github.filelock.LockMode;
import io.github.filelock.internal.TestHooks;
import io.github.filelock.spring.FileLocked;
import io.github.filelock.spring.OnTimeout;
import io.github.filelock.spring.listener.FileLockRequest;
import io.github.filelock.spring.support.HeldByAnotherThread;
import io.github.filelock.spring.support.LockHoldingChild;
import io.github.filelock.spring.support.LockRecorder;
import io.github.filelock.spring.support.Runners;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

/**
 * {@code @FileLocked} through real proxied beans, with the lock held by another process (or thread) where it matters.
 */
class FileLockedMethodsTests {

    @TempDir
    Path tmp;

    private ApplicationContextRunner runner() {
        return Runners.withLockDir(tmp).withUserConfiguration(Beans.class)
                .withPropertyValues("filelock.locks.configured.timeout=0", "app.report-timeout=150ms");
    }

    @Test
    void runsTheMethodWhileHoldingTheLockAndReleasesItAfter() {
        runner().run(context -> {
            Jobs jobs = context.getBean(Jobs.class);
            FileLockRegistry registry = context.getBean(FileLockRegistry.class);
            assertThat(jobs.heldDuringCall()).containsExactly("report");
            assertThat(registry.diagnostics().localHolds()).isEmpty();
            assertThat(registry.tryAcquire("report")).isPresent().get().satisfies(h -> h.close());
        });
    }

    @Test
    void releasesTheLockWhenTheMethodThrows() {
        runner().run(context -> {
            Jobs jobs = context.getBean(Jobs.class);
            assertThatIllegalArgumentException().isThrownBy(jobs::failing).withMessage("boom");
            assertThat(context.getBean(FileLockRegistry.class).diagnostics().localHolds()).isEmpty();
            assertThat(context.getBean(LockRecorder.class).events).containsExactly("request report",
                    "acquired report", "released report after IllegalArgumentException");
        });
    }

    @AfterEach
    void removeTestHook() {
        TestHooks.install(null);
    }

    @Test
    void failThrowsTimeoutExceptionWhenHeldByAnotherProcess() {
        runner().run(context -> {
            Jobs jobs = context.getBean(Jobs.class);
            try (LockHoldingChild other = LockHoldingChild.start(tmp, "report")) {
                assertThatExceptionOfType(FileLockTimeoutException.class).isThrownBy(jobs::heldDuringCall)
                        .satisfies(e -> assertThat(e.name()).isEqualTo("report"))
                        .satisfies(e -> assertThat(e.holderPid()).as("the kernel's holder").contains(other.pid()))
                        .satisfies(e -> assertThat(e.waited()).isGreaterThanOrEqualTo(Duration.ofMillis(150)));
            }
            assertThat(jobs.calls()).isEqualTo(0);
            assertThat(context.getBean(LockRecorder.class).events).containsExactly("request report", "TIMEOUT report");
        });
    }

    @Test
    void skipReturnsNullOptionalEmptyOrNothingWithoutRunningTheMethod() {
        runner().run(context -> {
            Jobs jobs = context.getBean(Jobs.class);
            // SKIP costs one failed try: no holder lookup (a /proc/locks read) and no exception per skip.
            AtomicInteger timeoutExceptions = new AtomicInteger();
            TestHooks.install((point, subject) -> {
                if (point.equals("LockEngine.timeoutException")) {
                    timeoutExceptions.incrementAndGet();
                }
            });
            try (LockHoldingChild other = LockHoldingChild.start(tmp, "sync")) {
                assertThat(jobs.skipString()).isNull();
                assertThat(jobs.skipOptional()).isEmpty();
                jobs.skipVoid();
            }
            assertThat(timeoutExceptions).as("timeout exceptions built for three skips").hasValue(0);
            assertThat(jobs.calls()).isEqualTo(0);
            assertThat(context.getBean(LockRecorder.class).events).containsExactly("request sync", "SKIPPED sync",
                    "request sync", "SKIPPED sync", "request sync", "SKIPPED sync");
            // Free again: each runs. skipOptional's timed wait left a kernel wait behind that resolves on its own
            // once the child is gone; until it has, one attempt in this JVM still fails, so wait for that first.
            awaitFree(context.getBean(FileLockRegistry.class), "sync");
            assertThat(jobs.skipString()).isEqualTo("ran");
            assertThat(jobs.skipOptional()).contains("ran");
            jobs.skipVoid();
            assertThat(jobs.calls()).isEqualTo(3);
        });
    }

    private static void awaitFree(FileLockRegistry registry, String name) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (registry.tryAcquire(name, LockMode.EXCLUSIVE, Duration.ofMillis(100)).map(hold -> {
            hold.close();
            return true;
        }).isEmpty()) {
            assertThat(System.nanoTime()).as("%s free again in this JVM", name).isLessThan(deadline);
        }
    }

    @Test
    void aTimeoutOfMinusOneWaitsUntilTheLockIsFree() {
        runner().run(context -> {
            Jobs jobs = context.getBean(Jobs.class);
            FileLockRegistry registry = context.getBean(FileLockRegistry.class);
            CompletableFuture<List<String>> call;
            try (HeldByAnotherThread other = new HeldByAnotherThread(registry, "patient")) {
                call = CompletableFuture.supplyAsync(jobs::waitsAsLongAsItTakes);
                awaitWaiter(registry, "patient");
                assertThat(call).as("still waiting").isNotDone();
            }
            assertThat(call.get(30, TimeUnit.SECONDS)).containsExactly("patient");
            assertThat(context.getBean(LockRecorder.class).requests).singleElement()
                    .satisfies(r -> assertThat(r.timeout()).isNegative());
        });
    }

    static void awaitWaiter(FileLockRegistry registry, String name) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (registry.diagnostics().waiters().stream().noneMatch(w -> w.name().equals(name))) {
            assertThat(System.nanoTime()).as("a caller waits for %s", name).isLessThan(deadline);
            Thread.sleep(2);
        }
    }

    @Test
    void emptyTimeoutUsesThePerNameProperty() {
        runner().run(context -> {
            Jobs jobs = context.getBean(Jobs.class);
            try (HeldByAnotherThread other = new HeldByAnotherThread(context.getBean(FileLockRegistry.class),
                    "configured")) {
                assertThatExceptionOfType(FileLockTimeoutException.class).isThrownBy(jobs::configured);
            }
            assertThat(context.getBean(LockRecorder.class).requests).singleElement()
                    .satisfies(r -> assertThat(r.timeout()).isZero());
        });
    }

    @Test
    void emptyTimeoutWithoutPerNamePropertyUsesTheDefault() {
        runner().withPropertyValues("filelock.default-timeout=123ms").run(context -> {
            context.getBean(Jobs.class).unconfigured();
            assertThat(context.getBean(LockRecorder.class).requests).singleElement()
                    .satisfies(r -> assertThat(r.timeout()).isEqualTo(Duration.ofMillis(123)));
        });
    }

    @Test
    void keyExpressionsOverArgumentsAndBeans() {
        runner().run(context -> {
            Documents docs = context.getBean(Documents.class);
            assertThat(docs.byName(42)).containsExactly("doc:42");
            assertThat(docs.byPosition("a", "b")).containsExactly("doc:b");
            assertThat(docs.byRootArgs("x", 7)).containsExactly("doc:x-7");
            assertThat(docs.byBean("r1")).containsExactly("doc:tenant-a/r1");
            assertThat(docs.byProperty(new Doc("d9"))).containsExactly("doc:d9");
            assertThatIllegalArgumentException().isThrownBy(() -> docs.byName(null))
                    .withMessageContaining("evaluated to null")
                    .withMessageNotContaining("?:"); // a default would put every such call under one lock
        });
    }

    @Test
    void interfaceAnnotationsApply() {
        runner().run(context -> {
            Indexer indexer = context.getBean(Indexer.class);
            assertThat(indexer.rebuild("books")).containsExactly("index:books");
        });
    }

    @Test
    void metaAnnotationApplies() {
        runner().run(context -> {
            Jobs jobs = context.getBean(Jobs.class);
            assertThat(jobs.embeddings()).containsExactly("embeddings");
            assertThat(context.getBean(LockRecorder.class).requests).singleElement()
                    .satisfies(r -> assertThat(r.timeout()).isEqualTo(Duration.ofSeconds(7)));
        });
    }

    @Test
    void sameNameOnTheSameThreadNestsThroughAnotherBeanAndThroughSelfInjection() {
        runner().run(context -> {
            Jobs jobs = context.getBean(Jobs.class);
            assertThat(jobs.outerCallsOtherBean()).isEqualTo(2);
            assertThat(jobs.outerCallsSelf()).isEqualTo(2);
            assertThat(context.getBean(FileLockRegistry.class).diagnostics().localHolds()).isEmpty();
        });
    }

    @Test
    void listenerSeesTheAnnotationNameAndTheResolvedName() {
        runner().run(context -> {
            context.getBean(Documents.class).byName(5);
            FileLockRequest request = context.getBean(LockRecorder.class).requests.get(0);
            assertThat(request.name()).isEqualTo("doc");
            assertThat(request.lockName()).isEqualTo("doc:5");
            assertThat(request.onTimeout()).isEqualTo(OnTimeout.FAIL);
            assertThat(request.method().getName()).isEqualTo("byName");
        });
    }

    record Doc(String id) {
    }

    interface Indexer {
        @FileLocked(name = "index", key = "#shard")
        List<String> rebuild(String shard);
    }

    static class RegistryAware {
        @Autowired
        FileLockRegistry registry;

        List<String> held() {
            return registry.diagnostics().localHolds().stream().map(LocalHold::name).toList();
        }
    }

    static class DefaultIndexer extends RegistryAware implements Indexer {
        @Override
        public List<String> rebuild(String shard) {
            return held();
        }
    }

    static class Documents extends RegistryAware {
        @FileLocked(name = "doc", key = "#id")
        public List<String> byName(Integer id) {
            return held();
        }

        @FileLocked(name = "doc", key = "#p1")
        public List<String> byPosition(String first, String second) {
            return held();
        }

        @FileLocked(name = "doc", key = "#root.args[0] + '-' + #root.args[1]")
        public List<String> byRootArgs(String a, int b) {
            return held();
        }

        @FileLocked(name = "doc", key = "@tenant.name() + '/' + #id")
        public List<String> byBean(String id) {
            return held();
        }

        @FileLocked(name = "doc", key = "#doc.id")
        public List<String> byProperty(Doc doc) {
            return held();
        }
    }

    record Tenant(String name) {
    }

    static class Nested extends RegistryAware {
        @FileLocked(name = "nest", timeout = "0")
        public int inner() {
            return registry.holdCount("nest");
        }
    }

    static class Jobs extends RegistryAware {
        private final AtomicInteger calls = new AtomicInteger();

        /** Through the proxy: a CGLIB proxy's own fields are never initialised. */
        public int calls() {
            return calls.get();
        }

        @Autowired
        Nested nested;

        @Autowired
        @Lazy
        Jobs self;

        @FileLocked(name = "report", timeout = "${app.report-timeout}")
        public List<String> heldDuringCall() {
            calls.incrementAndGet();
            return held();
        }

        @FileLocked(name = "patient", timeout = "-1")
        public List<String> waitsAsLongAsItTakes() {
            return held();
        }

        @FileLocked(name = "report")
        public void failing() {
            throw new IllegalArgumentException("boom");
        }

        @FileLocked(name = "sync", timeout = "0", onTimeout = OnTimeout.SKIP)
        public String skipString() {
            calls.incrementAndGet();
            return "ran";
        }

        @FileLocked(name = "sync", timeout = "50ms", onTimeout = OnTimeout.SKIP)
        public Optional<String> skipOptional() {
            calls.incrementAndGet();
            return Optional.of("ran");
        }

        @FileLocked(name = "sync", timeout = "0", onTimeout = OnTimeout.SKIP)
        public void skipVoid() {
            calls.incrementAndGet();
        }

        @FileLocked("configured")
        public void configured() {
        }

        @FileLocked("unconfigured")
        public void unconfigured() {
        }

        @EmbeddingsLock(timeout = "7s")
        public List<String> embeddings() {
            return held();
        }

        @FileLocked(name = "nest", timeout = "0")
        public int outerCallsOtherBean() {
            return nested.inner();
        }

        @FileLocked(name = "nest", timeout = "0")
        public int outerCallsSelf() {
            return self.innerOfSelf();
        }

        @FileLocked(name = "nest", timeout = "0")
        public int innerOfSelf() {
            return registry.holdCount("nest");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Beans {
        @Bean
        Jobs jobs() {
            return new Jobs();
        }

        @Bean
        Nested nested() {
            return new Nested();
        }

        @Bean
        Documents documents() {
            return new Documents();
        }

        @Bean
        Indexer indexer() {
            return new DefaultIndexer();
        }

        @Bean
        Tenant tenant() {
            return new Tenant("tenant-a");
        }

        @Bean
        LockRecorder lockRecorder() {
            return new LockRecorder();
        }
    }
}
