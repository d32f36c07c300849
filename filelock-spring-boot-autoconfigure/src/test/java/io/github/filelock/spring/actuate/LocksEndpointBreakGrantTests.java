package io.github.filelock.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import io.github.filelock.spring.FileLockRegistries;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Only {@code management.endpoint.locks.access=unrestricted} grants the operator break. A setting that opens every
 * endpoint, or the legacy {@code enabled} flags (which in 0.1 could only turn this endpoint's reads on), makes Boot
 * map the {@code DELETE}, but through a real server it answers 403 naming the property, and the marker stays.
 */
class LocksEndpointBreakGrantTests {

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @ParameterizedTest
    @ValueSource(strings = { "management.endpoints.access.default=unrestricted",
            "management.endpoint.locks.enabled=true", "management.endpoints.enabled-by-default=true" })
    void aSettingThatIsNoGrantToThisEndpointLeavesTheBreakForbidden(String setting) throws Exception {
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(App.class).run("--server.port=0",
                "--management.endpoints.web.exposure.include=locks", "--spring.main.banner-mode=off",
                "--filelock.locks.nightly.type=soft", "--filelock.dir=" + dir, "--" + setting)) {
            Path marker = app.getBean(FileLockRegistries.class).registryForLock("nightly").diagnostics()
                    .lockFile("nightly");
            Files.writeString(marker, LocksEndpointBreakWebTests.OTHER_HOSTS_MARKER);
            URI uri = URI.create("http://localhost:" + app.getEnvironment().getProperty("local.server.port")
                    + "/actuator/locks/nightly");

            HttpResponse<String> delete = http.send(HttpRequest.newBuilder(uri).DELETE().build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(delete.statusCode()).as(delete.body()).isEqualTo(403);
            assertThat(JsonPath.parse(delete.body()).read("$.reason", String.class))
                    .contains("management.endpoint.locks.access=unrestricted");
            assertThat(marker).hasContent(LocksEndpointBreakWebTests.OTHER_HOSTS_MARKER.strip());
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
    }
}
