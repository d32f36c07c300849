package io.github.filelock.test;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockType;
import io.github.filelock.test.internal.TestLocks;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.BeforeTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * JUnit 5 support for testing locked code: a temporary lock directory, locks held by another process
 * ({@link HeldByOtherProcess}), and a cleanup that kills every holder it started before the directory goes.
 *
 * <p>{@code @ExtendWith(FileLockExtension.class)} gives every test a fresh directory, reachable as a
 * {@code @LockDirectory Path} parameter, as a {@link FileLockRegistry} parameter (closed after the test) or
 * through {@link #directory()}. A Spring test needs a directory before its context starts and for as long as the
 * context lives, so there register {@link #perClass()} in a static field and pass {@link #directory()} to
 * {@code filelock.dir} with {@code @DynamicPropertySource}: one directory for the class, deleted after it; holders
 * are still released after each test.
 */
public final class FileLockExtension implements BeforeEachCallback, BeforeTestExecutionCallback,
        AfterTestExecutionCallback, AfterEachCallback, AfterAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(
            FileLockExtension.class);

    private final @Nullable Path classDirectory;
    // For directory() in a test body, which gets no ExtensionContext; a test's callbacks and body share a thread.
    private final ThreadLocal<TestLocks> running = new ThreadLocal<>();

    /** A fresh lock directory for every test. */
    public FileLockExtension() {
        this.classDirectory = null;
    }

    private FileLockExtension(Path classDirectory) {
        this.classDirectory = classDirectory;
    }

    /** One lock directory, made now, for all tests of the class: for a Spring context that outlives a test. */
    public static FileLockExtension perClass() {
        return new FileLockExtension(TestLocks.createDirectory());
    }

    /**
     * The lock directory of the running test (or of the class, for {@link #perClass()}).
     *
     * @throws IllegalStateException outside a test of a per-test extension
     */
    public Path directory() {
        if (classDirectory != null) {
            return classDirectory;
        }
        TestLocks locks = running.get();
        if (locks == null) {
            throw new IllegalStateException("FileLockExtension has no lock directory outside a test: it makes one"
                    + " per test. For a directory that a Spring context can use (in @DynamicPropertySource), register"
                    + " FileLockExtension.perClass() in a static @RegisterExtension field.");
        }
        return locks.directory();
    }

    /**
     * Holds {@code name} exclusively from another process until {@link OtherProcessHold#release()} or the end
     * of the test, whichever comes first; returns once it is held.
     */
    public OtherProcessHold holdInOtherProcess(String name) {
        TestLocks locks = running.get();
        if (locks == null) {
            throw new IllegalStateException("holdInOtherProcess(\"" + name + "\") was called outside a test; call it"
                    + " in the test or a @BeforeEach method, or use OtherProcessHold directly");
        }
        return locks.hold(OtherProcessHold.builder(locks.directory(), name));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        running.set(locks(context));
    }

    @Override
    public void beforeTestExecution(ExtensionContext context) {
        Optional<HeldByOtherProcess> held = context.getTestMethod()
                .flatMap(method -> AnnotationSupport.findAnnotation(method, HeldByOtherProcess.class))
                .or(() -> context.getTestClass()
                        .flatMap(type -> AnnotationSupport.findAnnotation(type, HeldByOtherProcess.class)));
        held.ifPresent(annotation -> {
            TestLocks locks = locks(context);
            for (String name : annotation.value()) {
                OtherProcessHold.Builder builder = OtherProcessHold.builder(locks.directory(), name)
                        .mode(annotation.mode());
                if (annotation.soft()) {
                    builder.type(LockType.SOFT);
                }
                locks.hold(builder);
            }
        });
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        locks(context).releaseHolds();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        running.remove();
        TestLocks locks = context.getStore(NAMESPACE).remove(TestLocks.class, TestLocks.class);
        if (locks != null) {
            locks.close();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (classDirectory != null) {
            TestLocks.deleteDirectory(classDirectory);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        boolean inTestOrHook = parameter.getDeclaringExecutable() instanceof Method;
        return inTestOrHook && (type == FileLockRegistry.class
                || (type == Path.class && parameter.isAnnotated(LockDirectory.class)));
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (context.getTestMethod().isEmpty()) {
            throw new ParameterResolutionException("FileLockExtension resolves " + parameter.getParameter()
                    + " only in test methods and @BeforeEach/@AfterEach methods, which have a test's lock directory");
        }
        TestLocks locks = locks(context);
        return parameter.getParameter().getType() == Path.class ? locks.directory() : locks.registry();
    }

    private TestLocks locks(ExtensionContext context) {
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(TestLocks.class,
                key -> new TestLocks(classDirectory), TestLocks.class);
    }
}
