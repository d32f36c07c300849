package io.github.filelock.spring.aop;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.spring.autoconfigure.FileLockFailureAnalyzer;
import io.github.filelock.spring.listener.FileLockRequest;
import io.github.filelock.spring.support.LockRecorder;
import io.github.filelock.spring.support.Runners;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * An application compiled without {@code -parameters} (one that imports the Boot BOM instead of using
 * spring-boot-starter-parent): this build compiles everything with it, so the beans here are compiled at test
 * time, without it, and loaded into the context.
 */
class ParameterNamesTests {

    private static final String SOURCE = """
            package compiled;

            import io.github.filelock.spring.FileLocked;

            public class Documents {
                @FileLocked(name = "doc", key = "#id")
                public String byName(Integer id) {
                    return "ran";
                }
            }
            """;

    private static final String POSITIONAL_SOURCE = """
            package compiled;

            import io.github.filelock.spring.FileLocked;

            public class PositionalDocuments {
                @FileLocked(name = "doc", key = "#p0")
                public String byPosition(Integer id) {
                    return "ran";
                }
            }
            """;

    @TempDir
    static Path compiledDir;

    @TempDir
    Path tmp;

    private static URLClassLoader loader;

    @BeforeAll
    static void compileWithoutParameterNames() throws Exception {
        Path src = compiledDir.resolve("src/compiled");
        Files.createDirectories(src);
        Files.writeString(src.resolve("Documents.java"), SOURCE);
        Files.writeString(src.resolve("PositionalDocuments.java"), POSITIONAL_SOURCE);
        Path classes = Files.createDirectories(compiledDir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter errors = new StringWriter();
        // -g keeps the local variable table: Spring no longer reads names from it, only -parameters counts.
        boolean compiled = javac.getTask(errors, null, null, List.of("-g", "-classpath",
                System.getProperty("java.class.path"), "-d", classes.toString()), null,
                javac.getStandardFileManager(null, null, null).getJavaFileObjects(
                        src.resolve("Documents.java").toFile(), src.resolve("PositionalDocuments.java").toFile()))
                .call();
        assertThat(compiled).as("javac: %s", errors).isTrue();
        loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, ParameterNamesTests.class.getClassLoader());
    }

    @AfterAll
    static void closeLoader() throws Exception {
        loader.close();
    }

    @Test
    void aKeyNamingAParameterFailsStartUpAndNamesTheFixes() throws Exception {
        Class<?> documents = loader.loadClass("compiled.Documents");
        assertThat(documents.getMethod("byName", Integer.class).getParameters()[0].isNamePresent())
                .as("compiled without -parameters").isFalse();
        runner().withBean("documents", documents).run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = new FileLockFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).as("analysis of %s", context.getStartupFailure()).isNotNull();
            assertThat(analysis.getDescription()).contains("compiled.Documents.byName(Integer) of bean 'documents'",
                    "key '#id' refers to #id", "parameter names are not available",
                    "compiled without -parameters");
            assertThat(analysis.getAction()).contains("-parameters", "<parameters>true</parameters>", "#p0", "#a0");
        });
    }

    @Test
    void aKeyByPositionWorksWithoutParameterNames() throws Exception {
        Class<?> documents = loader.loadClass("compiled.PositionalDocuments");
        runner().withBean("documents", documents).withBean(LockRecorder.class).run(context -> {
            assertThat(context).hasNotFailed();
            Object bean = context.getBean(documents);
            Method byPosition = documents.getMethod("byPosition", Integer.class);
            assertThat(byPosition.invoke(bean, 42)).isEqualTo("ran");
            assertThat(context.getBean(LockRecorder.class).requests).extracting(FileLockRequest::lockName)
                    .containsExactly("doc:42");
        });
    }

    private ApplicationContextRunner runner() {
        return Runners.withLockDir(tmp.resolve("locks")).withClassLoader(loader);
    }
}
