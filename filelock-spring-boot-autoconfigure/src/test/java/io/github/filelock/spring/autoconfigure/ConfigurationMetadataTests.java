package io.github.filelock.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import io.github.filelock.LockType;
import io.github.filelock.spring.aop.FileLockedAdvisor;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The metadata the configuration processor generated lists every property, each with a description. */
class ConfigurationMetadataTests {

    @Test
    void everyPropertyHasADescriptionAndTheDocumentedDefault() throws Exception {
        List<Map<String, Object>> listed;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("generated metadata on the classpath").isNotNull();
            listed = JsonPath.parse(in).read("$.properties[*]");
        }
        Map<String, Map<String, Object>> properties = new HashMap<>();
        listed.forEach(p -> properties.put((String) p.get("name"), p));
        // The processor also describes the locks endpoint's management.endpoint.locks.* settings.
        assertThat(properties).containsKey("management.endpoint.locks.access");
        properties.keySet().removeIf(name -> name.startsWith("management.endpoint.locks."));

        assertThat(properties).containsOnlyKeys("filelock.enabled", "filelock.dir", "filelock.default-timeout",
                "filelock.file-permissions", "filelock.max-open-files", "filelock.max-wait-threads",
                "filelock.delete-idle-lock-files", "filelock.advisor-order", "filelock.locks", "filelock.type",
                "filelock.soft.heartbeat", "filelock.soft.lease", "filelock.allow-file-channel-fallback",
                // soft types (issue 13)
                "filelock.soft.poll-interval", "filelock.soft.stale-threshold",
                // lock directory trust (issue 10)
                "filelock.trust-shared-directory",
                // observability (issue 4)
                "filelock.health.max-hold", "filelock.health.max-wait", "filelock.health.min-free-bytes",
                "filelock.log.slow-wait", "filelock.observations.enabled", "filelock.fencing.fsync",
                "filelock.shutdown.drain",
                // postgres (issue 12)
                "filelock.postgres.url", "filelock.postgres.username", "filelock.postgres.password",
                "filelock.postgres.namespace", "filelock.postgres.max-connections", "filelock.postgres.keepalive",
                "filelock.redis.prefix", "filelock.redis.lease");
        properties.forEach((name, p) -> assertThat((String) p.get("description")).as(name).hasSizeGreaterThan(20));

        assertThat(properties.get("filelock.enabled").get("defaultValue")).isEqualTo(true);
        assertThat(properties.get("filelock.observations.enabled").get("defaultValue")).isEqualTo(true);
        assertThat(properties.get("filelock.default-timeout").get("defaultValue")).isEqualTo("30s");
        assertThat(properties.get("filelock.file-permissions").get("defaultValue")).isEqualTo("rw-r--r--");
        assertThat(properties.get("filelock.max-open-files").get("defaultValue")).isEqualTo(256);
        assertThat(properties.get("filelock.delete-idle-lock-files").get("defaultValue")).isEqualTo(false);
        assertThat(properties.get("filelock.trust-shared-directory").get("defaultValue")).isEqualTo(false);
        assertThat(properties.get("filelock.health.max-hold").get("defaultValue")).isEqualTo("10m");
        assertThat(properties.get("filelock.health.max-wait").get("defaultValue")).isEqualTo("1m");
        assertThat(properties.get("filelock.log.slow-wait").get("defaultValue")).isEqualTo("5s");
        assertThat(properties.get("filelock.health.min-free-bytes").get("defaultValue")).isEqualTo(1_048_576);
        assertThat(properties.get("filelock.type").get("defaultValue")).isEqualTo("flock");
        assertThat(properties.get("filelock.allow-file-channel-fallback").get("defaultValue")).isEqualTo(false);
        assertThat(properties.get("filelock.soft.heartbeat").get("defaultValue")).isEqualTo("10s");
        assertThat(properties.get("filelock.soft.lease").get("defaultValue")).isEqualTo("30s");
        assertThat(properties.get("filelock.soft.poll-interval").get("defaultValue")).isEqualTo("25ms");
        assertThat(properties.get("filelock.soft.stale-threshold").get("defaultValue")).isEqualTo("90s");
        assertThat(properties.get("filelock.postgres.max-connections").get("defaultValue")).isEqualTo(8);
        assertThat(properties.get("filelock.postgres.keepalive").get("defaultValue")).isEqualTo("5s");
        assertThat(properties.get("filelock.postgres.namespace").get("defaultValue")).isEqualTo("");
        assertThat(properties.get("filelock.redis.prefix").get("defaultValue")).isEqualTo("filelock:");
        assertThat(properties.get("filelock.fencing.fsync").get("defaultValue")).isEqualTo(false);
        assertThat(properties.get("filelock.shutdown.drain").get("defaultValue")).isEqualTo(true);
        assertThat(properties.get("filelock.advisor-order").get("defaultValue"))
                .isEqualTo(FileLockedAdvisor.DEFAULT_ORDER);
    }

    // An IDE shows this description where filelock.type is set: a type it leaves out looks unsupported.
    @Test
    void theTypeDescriptionNamesEveryType() throws Exception {
        String description;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            description = JsonPath.parse(in).read("$.properties[?(@.name == 'filelock.type')].description",
                    List.class).get(0).toString();
        }
        for (LockType type : LockType.values()) {
            assertThat(description).as(type.id()).containsPattern("(^|[ (])" + type.id() + " \\(");
        }
    }
}
