package io.github.filelock.test.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.test.FileLockAssert;
import io.github.filelock.test.FileLockExtension;
import io.github.filelock.test.HeldByOtherProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The test-support example of docs/test-support.md, kept compiling and passing: a @Scheduled SKIP method under test.
 */
@SpringBootTest(classes = NightlyReportTests.App.class)
class NightlyReportTests {

    @RegisterExtension
    static final FileLockExtension locks = FileLockExtension.perClass();

    @DynamicPropertySource
    static void lockDirectory(DynamicPropertyRegistry properties) {
        properties.add("filelock.dir", () -> locks.directory().toString());
    }

    @Autowired
    NightlyReport report;

    @Autowired
    FileLockRegistry registry;

    @Test
    @HeldByOtherProcess("nightly-report")
    void skipsWhileAnotherInstanceRunsIt() {
        int before = report.runs();
        report.run();
        assertThat(report.runs()).isEqualTo(before);
        FileLockAssert.assertHeldByOtherProcess(registry, "nightly-report");
    }

    @Test
    void runsWhenTheLockIsFree() {
        int before = report.runs();
        report.run();
        assertThat(report.runs()).isEqualTo(before + 1);
        FileLockAssert.assertFree(registry, "nightly-report");
        assertThat(registry.directory()).as("the app locks in the extension's directory")
                .isEqualTo(locks.directory());
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(NightlyReport.class)
    static class App {
    }
}
