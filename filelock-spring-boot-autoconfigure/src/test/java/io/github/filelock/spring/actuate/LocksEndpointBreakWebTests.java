package io.github.filelock.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import io.github.filelock.FileLockHold;
import io.github.filelock.LockState;
import io.github.filelock.LockType;
import io.github.filelock.spring.FileLockRegistries;
import io.github.filelock.spring.support.LockHoldingChild;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code DELETE /actuator/locks/{name}} through a real server, with write access granted
 * ({@code management.endpoint.locks.access=unrestricted}): a soft marker another host left is broken and the audit
 * WARN names its holder; a flock name a child JVM holds is refused with 400 and the reason and stays held; a name this
 * JVM holds is refused with 409.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        classes = LocksEndpointBreakWebTests.App.class, properties = {
                "management.endpoints.web.exposure.include=locks", "management.endpoint.locks.access=unrestricted",
                "spring.main.banner-mode=off", "filelock.locks.nightly.type=soft", "filelock.locks.mine.type=soft",
                "filelock.locks.free.type=soft", "filelock.locks.planted.type=soft" })
class LocksEndpointBreakWebTests {

    static final String OTHER_HOSTS_MARKER = "4242\nbatch-7.cluster.example\n123456789\n";

    @RegisterExtension
    static final ClassLockDirectory DIR = new ClassLockDirectory("locks-endpoint-break");

    @DynamicPropertySource
    static void lockDir(DynamicPropertyRegistry registry) {
        DIR.register(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    FileLockRegistries registries;

    private final LocalServer server = new LocalServer(() -> port);

    @Test
    void aMarkerAnotherHostLeftIsBrokenAndTheAuditWarnNamesItsHolder(CapturedOutput output) throws Exception {
        Path marker = registries.registryForLock("nightly").diagnostics().lockFile("nightly");
        Files.writeString(marker, OTHER_HOSTS_MARKER);

        HttpResponse<String> response = server.delete("/actuator/locks/nightly");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        DocumentContext body = JsonPath.parse(response.body());
        assertThat(body.read("$.type", String.class)).isEqualTo("soft");
        assertThat(body.read("$.file", String.class)).isEqualTo(marker.toString());
        assertThat(body.read("$.holder.pid", Long.class)).isEqualTo(4242L);
        assertThat(body.read("$.holder.host", String.class)).isEqualTo("batch-7.cluster.example");
        assertThat(marker).doesNotExist();
        assertThat(output).contains("Operator break of soft lock 'nightly', requested by an unauthenticated request"
                + " to /actuator/locks: removed the claim at " + marker + " held by pid 4242 on"
                + " batch-7.cluster.example");
    }

    @Test
    void aFlockNameIsRefusedWith400AndTheReasonAndStaysHeld() throws Exception {
        try (LockHoldingChild child = LockHoldingChild.start(DIR.path(), "batch", LockType.FLOCK)) {
            HttpResponse<String> response = server.delete("/actuator/locks/batch");

            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            assertThat(JsonPath.parse(response.body()).read("$.reason", String.class))
                    .contains("'flock' locks cannot be broken by an operator", "when the holding process dies");
            assertThat(registries.registryForLock("batch").diagnostics().inspect("batch").state())
                    .isEqualTo(LockState.HELD_BY_OTHER_PROCESS);
            assertThat(child.isAlive()).isTrue();
        }
    }

    @Test
    void aNameThisJvmHoldsIsRefusedWith409() throws Exception {
        try (FileLockHold hold = registries.registryForLock("mine").acquire("mine", Duration.ZERO)) {
            HttpResponse<String> response = server.delete("/actuator/locks/mine");

            assertThat(response.statusCode()).as(response.body()).isEqualTo(409);
            assertThat(JsonPath.parse(response.body()).read("$.reason", String.class))
                    .contains("this JVM holds it (thread " + Thread.currentThread().getName());
            assertThat(hold.isValid()).isTrue();
        }
    }

    @Test
    void aNameWithNothingToBreakIs404() throws Exception {
        HttpResponse<String> response = server.delete("/actuator/locks/free");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
        assertThat(JsonPath.parse(response.body()).read("$.reason", String.class)).startsWith("Nothing to break");
    }

    @Test
    void aClaimThatCannotBeReadIs500WithTheReason() throws Exception {
        Path marker = registries.registryForLock("planted").diagnostics().lockFile("planted");
        Files.createSymbolicLink(marker, DIR.path().resolve("elsewhere"));
        try {
            HttpResponse<String> response = server.delete("/actuator/locks/planted");

            assertThat(response.statusCode()).as(response.body()).isEqualTo(500);
            assertThat(JsonPath.parse(response.body()).read("$.reason", String.class))
                    .contains("Could not break lock 'planted'", marker.toString(), "a symbolic link");
            assertThat(Files.isSymbolicLink(marker)).isTrue();
        } finally {
            Files.delete(marker);
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
    }
}
