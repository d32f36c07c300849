package io.github.filelock.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.spring.FileLockRegistries;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.jspecify.annotations.Nullable;
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
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The README's Spring Security snippet, verbatim in {@link LocksSecurity}, in front of a real server with the delete
 * granted: without credentials the delete gets 401, a user without the {@code LOCK_ADMIN} role 403 (and may still
 * read), and an admin breaks the marker, with the audit WARN naming them.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        classes = LocksEndpointBreakSecurityTests.App.class, properties = {
                "management.endpoints.web.exposure.include=locks", "management.endpoint.locks.access=unrestricted",
                "spring.main.banner-mode=off", "filelock.locks.nightly.type=soft" })
class LocksEndpointBreakSecurityTests {

    @RegisterExtension
    static final ClassLockDirectory DIR = new ClassLockDirectory("locks-endpoint-secured");

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
    void onlyALockAdminMayBreakAndTheWarnNamesThem(CapturedOutput output) throws Exception {
        Path marker = registries.registryForLock("nightly").diagnostics().lockFile("nightly");
        Files.writeString(marker, LocksEndpointBreakWebTests.OTHER_HOSTS_MARKER);

        assertThat(send("DELETE", null).statusCode()).as("no credentials").isEqualTo(401);
        assertThat(send("DELETE", "dev-bob").statusCode()).as("an actuator reader").isEqualTo(403);
        assertThat(send("GET", "dev-bob").statusCode()).as("who may still read").isEqualTo(200);
        assertThat(marker).exists();

        HttpResponse<String> admin = send("DELETE", "ops-alice");

        assertThat(admin.statusCode()).as(admin.body()).isEqualTo(200);
        assertThat(admin.body()).contains("\"requestedBy\":\"principal 'ops-alice' through /actuator/locks\"");
        assertThat(marker).doesNotExist();
        assertThat(output).contains("Operator break of soft lock 'nightly', requested by principal 'ops-alice'");
    }

    private HttpResponse<String> send(String method, @Nullable String user) throws Exception {
        if (user == null) {
            return server.send(method, "/actuator/locks/nightly");
        }
        return server.send(method, "/actuator/locks/nightly", "Authorization", "Basic "
                + Base64.getEncoder().encodeToString((user + ":secret").getBytes(StandardCharsets.UTF_8)));
    }

    // "Verbatim" is checked, not promised: the README and soft-locks.md show exactly the bean this class runs.
    @Test
    void theReadmeAndTheSoftLocksPageShowThisBeanVerbatim() throws Exception {
        String source = Files.readString(Path.of("src/test/java", getClass().getName().replace('.', '/') + ".java"));
        String bean = source.substring(source.indexOf("// README snippet begins\n") + 25,
                source.lastIndexOf("        // README snippet ends")).replaceAll("(?m)^ {8}", "");

        assertThat(bean).startsWith("@Bean\nSecurityFilterChain actuatorSecurity");
        assertThat(Files.readString(Path.of("../README.md"))).contains("```java\n" + bean + "```");
        assertThat(Files.readString(Path.of("../docs/soft-locks.md"))).contains("```java\n" + bean + "```");
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @EnableWebSecurity // spring-boot-starter-security does this for an application; this module tests without it
    @Import(LocksSecurity.class)
    static class App {

        @Bean
        InMemoryUserDetailsManager users() {
            return new InMemoryUserDetailsManager(
                    User.withUsername("ops-alice").password("{noop}secret").roles("LOCK_ADMIN", "ACTUATOR").build(),
                    User.withUsername("dev-bob").password("{noop}secret").roles("ACTUATOR").build());
        }
    }

    /** The README's snippet ("Operator break"), unchanged. */
    static class LocksSecurity {

        // README snippet begins
        @Bean
        SecurityFilterChain actuatorSecurity(HttpSecurity http) throws Exception {
            return http.securityMatcher("/actuator/**")
                    .authorizeHttpRequests(requests -> requests
                            .requestMatchers(HttpMethod.DELETE, "/actuator/locks/**").hasRole("LOCK_ADMIN")
                            .anyRequest().hasRole("ACTUATOR"))
                    .httpBasic(Customizer.withDefaults())
                    .csrf(csrf -> csrf.ignoringRequestMatchers("/actuator/**")) // no browser session: basic auth only
                    .build();
        }
        // README snippet ends
    }
}
