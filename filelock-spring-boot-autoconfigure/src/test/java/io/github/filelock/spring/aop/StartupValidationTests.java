package io.github.filelock.spring.aop;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.spring.FileLocked;
import io.github.filelock.spring.OnTimeout;
import io.github.filelock.spring.autoconfigure.FileLockFailureAnalyzer;
import io.github.filelock.spring.support.Runners;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.PriorityOrdered;

/** Each misconfiguration fails start-up, naming the bean, the method and the bad value, with an action. */
class StartupValidationTests {

    @TempDir
    Path tmp;

    @Test
    void unparseableTimeout() {
        expectFailure(BadTimeout.class, "badTimeout",
                "@FileLocked method " + BadTimeout.class.getName()
                        + ".work() of bean 'badTimeout': timeout 'soon' is not a duration",
                "Use a duration such as \"30s\"");
    }

    @Test
    void placeholderResolvingToAnUnparseableTimeout() {
        expectFailure(runner().withPropertyValues("app.lock-timeout=forever"), PlaceholderTimeout.class,
                "placeholderTimeout", "timeout '${app.lock-timeout}' (resolved to 'forever') is not a duration",
                "Use a duration");
    }

    @Test
    void unresolvablePlaceholder() {
        expectFailure(PlaceholderTimeout.class, "placeholderTimeout",
                "timeout '${app.lock-timeout}' has a placeholder that cannot be resolved", "Use a duration");
    }

    @Test
    void keyThatIsNotSpel() {
        expectFailure(BadKey.class, "badKey",
                BadKey.class.getName() + ".work(String) of bean 'badKey': key '#id +' is not a valid SpEL expression",
                "Fix the key: it is SpEL over the method's arguments");
    }

    @Test
    void keyNamingAParameterThatDoesNotExist() {
        expectFailure(MisspeltKey.class, "misspeltKey",
                "key '#doc.id' refers to #doc, but the method's parameters are #document", "Fix the key");
    }

    @Test
    void keyThatIsAnArrayParameter() {
        expectFailure(ArrayKey.class, "arrayKey",
                "key '#ids' is the parameter 'ids' of type long[], which has no toString of its own, so every call"
                        + " would lock a different name; use one element, or all of them with"
                        + " \"T(java.util.Arrays).toString(#ids)\"", "Fix the key");
    }

    @Test
    void skipOnPrimitiveReturn() {
        expectFailure(SkipPrimitive.class, "skipPrimitive",
                SkipPrimitive.class.getName() + ".count() of bean 'skipPrimitive': onTimeout = SKIP cannot be used on a"
                        + " method that returns the primitive 'int'",
                "Return a wrapper type (Integer, Boolean, ...), an Optional or void, or use"
                        + " onTimeout = OnTimeout.FAIL");
    }

    @Test
    void privateMethod() {
        expectFailure(PrivateMethod.class, "privateMethod",
                PrivateMethod.class.getName() + ".work() of bean 'privateMethod': the method is private, so calls to it"
                        + " bypass the Spring proxy",
                "Make the method public (or protected), non-final and non-static");
    }

    @Test
    void finalMethod() {
        expectFailure(FinalMethod.class, "finalMethod", "work() of bean 'finalMethod': the method is final",
                "non-final");
    }

    @Test
    void staticMethod() {
        expectFailure(StaticMethod.class, "staticMethod", "work() of bean 'staticMethod': the method is static",
                "non-static");
    }

    @Test
    void missingName() {
        expectFailure(NoName.class, "noName", "work() of bean 'noName': the lock has no name",
                "@FileLocked(name = \"reports\")");
    }

    @Test
    void aValidBeanStartsAndKeepsItsProxy() {
        runner().withBean("fine", Fine.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(org.springframework.aop.support.AopUtils.isAopProxy(context.getBean(Fine.class))).isTrue();
        });
    }

    private ApplicationContextRunner runner() {
        return Runners.withLockDir(tmp);
    }

    @Test
    void anAsynchronousResultTheLockCannotFollow() {
        expectFailure(PlainFuture.class, "plainFuture", PlainFuture.class.getName() + ".start() of bean 'plainFuture':"
                + " the method returns java.util.concurrent.Future, an asynchronous result that @FileLocked cannot"
                + " follow to its completion",
                "Declare the method to return CompletableFuture, CompletionStage, Mono or Flux");
    }

    @Test
    void lazyResultsWhoseWorkRunsAfterTheReturn() {
        expectFailure(LazyOne.class, "lazyOne", LazyOne.class.getName() + ".stream() of bean 'lazyOne': the method"
                + " returns java.util.stream.Stream, a lazy result whose elements are produced after the method"
                + " returns",
                "Return a collection (for example stream.toList())");
        expectFailure(LazyInts.class, "lazyInts", "java.util.stream.IntStream, a lazy result", "stream.toList()");
        expectFailure(LazyIterator.class, "lazyIterator", "java.util.Iterator, a lazy result", "stream.toList()");
    }

    @Test
    void collectionsStayAllowed() {
        runner().withBean("collections", Collections.class).run(context -> assertThat(context).hasNotFailed());
    }

    static class LazyOne {
        @FileLocked(name = "x")
        public java.util.stream.Stream<String> stream() {
            return java.util.stream.Stream.of("x");
        }
    }

    static class LazyInts {
        @FileLocked(name = "x")
        public java.util.stream.IntStream numbers() {
            return java.util.stream.IntStream.of(1);
        }
    }

    static class LazyIterator {
        @FileLocked(name = "x")
        public java.util.Iterator<String> iterator() {
            return java.util.List.of("x").iterator();
        }
    }

    static class Collections {
        @FileLocked(name = "x")
        public java.util.List<String> list() {
            return java.util.List.of("x");
        }

        @FileLocked(name = "x")
        public Iterable<String> iterable() {
            return java.util.Set.of("x");
        }

        @FileLocked(name = "x")
        public java.util.Map<String, String> map() {
            return java.util.Map.of();
        }
    }

    @Test
    void skipOnAsyncResultsIsFine() {
        runner().withBean("skipAsync", SkipAsync.class).run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void negativeHoldAtLeast() {
        expectFailure(NegativeMinimum.class, "negativeMinimum", NegativeMinimum.class.getName()
                + ".work() of bean 'negativeMinimum': holdAtLeast '-1s' is negative", "Use a duration such as \"10s\"");
    }

    static class NegativeMinimum {
        @FileLocked(name = "x", holdAtLeast = "-1s")
        public void work() {
        }
    }

    @Test
    void aBeanCreatedTooEarlyToBeProxiedFailsStartUpNamingItAndWhy() {
        runner().withUserConfiguration(EarlyAudit.class).run(context -> {
            assertThat(context).as("the audit bean would run its @FileLocked method unlocked").hasFailed();
            FailureAnalysis analysis = new FileLockFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).as("analysis of %s", context.getStartupFailure()).isNotNull();
            assertThat(analysis.getDescription()).contains("bean 'audit'", Audit.class.getName(),
                    "not a proxy with the @FileLocked advisor", "'auditingPostProcessor'");
            assertThat(analysis.getAction()).contains("ObjectProvider");
        });
    }

    /** A post-processor that needs the audit bean, so the audit bean is created before the auto-proxy creator. */
    @Configuration(proxyBeanMethods = false)
    static class EarlyAudit {

        @Bean
        static Audit audit() {
            return new Audit();
        }

        @Bean
        static AuditingPostProcessor auditingPostProcessor(Audit audit) {
            return new AuditingPostProcessor(audit);
        }
    }

    static class Audit {
        @FileLocked(name = "audit", timeout = "5s")
        public void record() {
        }
    }

    record AuditingPostProcessor(Audit audit) implements BeanPostProcessor, PriorityOrdered {
        @Override
        public int getOrder() {
            return 0;
        }
    }

    static class PlainFuture {
        @FileLocked(name = "x")
        public java.util.concurrent.Future<String> start() {
            return java.util.concurrent.CompletableFuture.completedFuture("x");
        }
    }

    static class SkipAsync {
        @FileLocked(name = "x", onTimeout = io.github.filelock.spring.OnTimeout.SKIP)
        public java.util.concurrent.CompletionStage<String> stage() {
            return java.util.concurrent.CompletableFuture.completedStage("x");
        }

        @FileLocked(name = "x", onTimeout = io.github.filelock.spring.OnTimeout.SKIP)
        public reactor.core.publisher.Flux<String> flux() {
            return reactor.core.publisher.Flux.just("x");
        }
    }

    private void expectFailure(Class<?> beanClass, String beanName, String description, String action) {
        expectFailure(runner(), beanClass, beanName, description, action);
    }

    private static void expectFailure(ApplicationContextRunner runner, Class<?> beanClass, String beanName,
            String description, String action) {
        runner.withBean(beanName, beanClass).run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = new FileLockFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).as("analysis of %s", context.getStartupFailure()).isNotNull();
            assertThat(analysis.getDescription()).contains(description);
            assertThat(analysis.getAction()).contains(action);
        });
    }

    static class BadTimeout {
        @FileLocked(name = "x", timeout = "soon")
        public void work() {
        }
    }

    static class PlaceholderTimeout {
        @FileLocked(name = "x", timeout = "${app.lock-timeout}")
        public void work() {
        }
    }

    static class BadKey {
        @FileLocked(name = "x", key = "#id +")
        public void work(String id) {
        }
    }

    static class MisspeltKey {
        @FileLocked(name = "x", key = "#doc.id")
        public void work(Object document) {
        }
    }

    static class ArrayKey {
        @FileLocked(name = "x", key = "#ids")
        public void work(long[] ids) {
        }
    }

    static class SkipPrimitive {
        @FileLocked(name = "x", onTimeout = OnTimeout.SKIP)
        public int count() {
            return 1;
        }
    }

    static class PrivateMethod {
        @FileLocked("x")
        private void work() {
        }
    }

    static class FinalMethod {
        @FileLocked("x")
        public final void work() {
        }
    }

    static class StaticMethod {
        @FileLocked("x")
        public static void work() {
        }
    }

    static class NoName {
        @FileLocked(timeout = "1s")
        public void work() {
        }
    }

    static class Fine {
        @FileLocked(name = "x", key = "#p0 + ':' + #root.args.length", timeout = "${app.missing:2s}",
                onTimeout = OnTimeout.SKIP)
        public Integer work(String id) {
            return 1;
        }
    }
}
