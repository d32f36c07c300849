package io.github.filelock.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.spring.FileLockRegistries;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Exposing the endpoint does not grant the delete: without {@code management.endpoint.locks.access=unrestricted}
 * the endpoint is read-only, {@code DELETE} is not mapped, and the marker stays while {@code GET} still answers.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        classes = LocksEndpointBreakDefaultAccessTests.App.class, properties = {
                "management.endpoints.web.exposure.include=locks", "spring.main.banner-mode=off",
                "filelock.locks.nightly.type=soft" })
class LocksEndpointBreakDefaultAccessTests {

    @RegisterExtension
    static final ClassLockDirectory DIR = new ClassLockDirectory("locks-endpoint-read-only");

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
    void theDeleteIsRefusedByDefaultAndTheMarkerStays() throws Exception {
        Path marker = registries.registryForLock("nightly").diagnostics().lockFile("nightly");
        Files.writeString(marker, LocksEndpointBreakWebTests.OTHER_HOSTS_MARKER);

        HttpResponse<String> delete = server.delete("/actuator/locks/nightly");

        assertThat(delete.statusCode()).as(delete.body()).isEqualTo(405);
        assertThat(marker).hasContent(LocksEndpointBreakWebTests.OTHER_HOSTS_MARKER.strip());
        HttpResponse<String> get = server.get("/actuator/locks/nightly");
        assertThat(get.statusCode()).as(get.body()).isEqualTo(200);
        assertThat(get.body()).contains("\"pid\":4242");
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
    }
}
