package io.github.filelock.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.LockMode;
import io.github.filelock.LockType;
import io.github.filelock.internal.FileSettings;
import io.github.filelock.internal.soft.rw.RwBackend;
import io.github.filelock.spi.LockSlot;
import io.github.filelock.spring.FileLockRegistries;
import io.github.filelock.spring.FileLocked;
import io.github.filelock.spring.InvalidFileLockedMethodException;
import io.github.filelock.spring.actuate.FileLocksEndpoint;
import io.github.filelock.spring.actuate.KeyedLockNames;
import io.github.filelock.spring.support.Runners;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code soft-rw} by configuration: SHARED methods read, EXCLUSIVE ones write; SHARED on a name of a soft type that
 * cannot count readers fails start-up with an analysis that names soft-rw.
 */
class SoftRwTypeTests {

    @TempDir
    Path tmp;

    @Test
    void aSoftRwNameTakesSharedAsAReaderMarkerAndExclusiveAsTheWriterMarker() {
        Runners.withLockDir(tmp).withUserConfiguration(Beans.class)
                .withPropertyValues("filelock.locks.index.type=soft-rw", "filelock.soft.heartbeat=1s",
                        "filelock.soft.stale-threshold=5s")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    FileLockRegistries registries = context.getBean(FileLockRegistries.class);
                    assertThat(registries.registryFor("index").type()).isEqualTo(LockType.SOFT_RW);
                    assertThat(FileLockRegistries.hasLockFiles(registries.registryFor("index"))).isTrue();
                    Index index = context.getBean(Index.class);
                    assertThat(index.read()).as("reader markers while a SHARED method runs").isEqualTo(1);
                    assertThat(index.write()).as("the writer marker while an EXCLUSIVE method runs").isTrue();
                    assertThat(tmp.resolve("index.lock.write")).doesNotExist();
                });
    }

    @Test
    void theLocksEndpointShowsAReaderOfAnotherParticipant() {
        Runners.withLockDir(tmp).withPropertyValues("filelock.locks.index.type=soft-rw").run(context -> {
            FileLockRegistries registries = context.getBean(FileLockRegistries.class);
            FileLocksEndpoint endpoint = new FileLocksEndpoint(registries, new KeyedLockNames());
            // another participant of the protocol, with its own slots: to this registry, a reader elsewhere
            RwBackend other = new RwBackend(new FileSettings(tmp.toRealPath(),
                    PosixFilePermissions.fromString("rw-r--r--"), false), Duration.ofSeconds(1), Duration.ofSeconds(5),
                    Duration.ofMillis(25));
            LockSlot reader = other.openSlot("index", () -> { });
            assertThat(reader.tryLock(LockMode.SHARED)).isTrue();
            try {
                assertThat(endpoint.locks().heldByOtherProcesses()).singleElement().satisfies(lock -> {
                    assertThat(lock.name()).isEqualTo("index");
                    assertThat(lock.holder()).isNotNull();
                    assertThat(lock.holder().pid()).isEqualTo(ProcessHandle.current().pid());
                });
                assertThat(endpoint.lock("index").state()).isEqualTo("HELD_BY_OTHER_PROCESS");
            } finally {
                reader.unlock();
            }
            assertThat(endpoint.locks().heldByOtherProcesses()).isEmpty();
        });
    }

    @Test
    void filelockTypeSoftRwMakesTheMainRegistryReadWrite() {
        Runners.withLockDir(tmp).withUserConfiguration(Beans.class).withPropertyValues("filelock.type=soft-rw")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(FileLockRegistries.class).main().type()).isEqualTo(LockType.SOFT_RW);
                    assertThat(context.getBean(Index.class).read()).isEqualTo(1);
                });
    }

    @Test
    void aSharedMethodOnASoftNameFailsStartUpNamingSoftRw() {
        Runners.withLockDir(tmp).withUserConfiguration(Beans.class)
                .withPropertyValues("filelock.locks.index.type=soft").run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = new FileLockFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(analysis).as("a failure analysis, not a stack trace").isNotNull();
                    assertThat(analysis.getDescription()).contains(Index.class.getName() + ".read()")
                            .contains("mode = SHARED on lock 'index'").contains("'soft' locks are exclusive only");
                    assertThat(analysis.getAction()).contains("filelock.locks.index.type=soft-rw");
                    assertThat(rootOf(context.getStartupFailure()))
                            .isInstanceOf(InvalidFileLockedMethodException.class);
                });
        Runners.withLockDir(tmp.resolve("main")).withUserConfiguration(Beans.class)
                .withPropertyValues("filelock.type=soft").run(context -> {
                    assertThat(context).as("filelock.type=soft for every name").hasFailed();
                    assertThat(new FileLockFailureAnalyzer().analyze(context.getStartupFailure()).getAction())
                            .contains("soft-rw");
                });
    }

    @Test
    void aStaleThresholdNotAboveTheHeartbeatFailsStartUpNamingTheProperty() {
        Runners.withLockDir(tmp).withPropertyValues("filelock.locks.index.type=soft-rw", "filelock.soft.heartbeat=10s",
                "filelock.soft.stale-threshold=10s").run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = new FileLockFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("filelock.soft.stale-threshold")
                            .contains("must exceed filelock.soft.heartbeat");
                    assertThat(analysis.getAction()).contains("90s");
                });
    }

    /**
     * The start-up check sees what the interceptor sees: SHARED through a user's meta-annotation, and on a keyed name
     * (whose per-key locks take the type of the name), each checked against the type of that name.
     */
    @Test
    void sharedThroughAMetaAnnotationOrOnAKeyedNameIsCheckedAgainstTheNamesType() {
        Runners.withLockDir(tmp).withUserConfiguration(MetaBeans.class)
                .withPropertyValues("filelock.locks.catalog.type=strict-soft").run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = new FileLockFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("mode = SHARED on lock 'catalog'")
                            .contains("'strict-soft' locks are exclusive only");
                    assertThat(analysis.getAction()).contains("filelock.locks.catalog.type=soft-rw");
                });
        Runners.withLockDir(tmp.resolve("keyed")).withUserConfiguration(KeyedBeans.class)
                .withPropertyValues("filelock.locks.orders.type=soft-lease").run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(new FileLockFailureAnalyzer().analyze(context.getStartupFailure()).getDescription())
                            .contains("mode = SHARED on lock 'orders'").contains("'soft-lease' locks are exclusive");
                });
        Runners.withLockDir(tmp.resolve("rw")).withUserConfiguration(MetaBeans.class, KeyedBeans.class)
                .withPropertyValues("filelock.locks.orders.type=soft-rw",
                        "filelock.locks.catalog.type=soft-rw", "filelock.type=soft")
                .run(context -> assertThat(context).as("soft-rw names, whatever the default type").hasNotFailed());
    }

    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @FileLocked(name = "catalog", mode = LockMode.SHARED)
    @interface ReadsCatalog {
    }

    @Configuration
    static class MetaBeans {

        @Bean
        Catalog catalog() {
            return new Catalog();
        }
    }

    static class Catalog {

        @ReadsCatalog
        public int read() {
            return 1;
        }
    }

    @Configuration
    static class KeyedBeans {

        @Bean
        Orders orders() {
            return new Orders();
        }
    }

    static class Orders {

        @FileLocked(name = "orders", key = "#id", mode = LockMode.SHARED)
        public int read(String id) {
            return 1;
        }
    }

    private static Throwable rootOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InvalidFileLockedMethodException) {
                return t;
            }
        }
        return failure;
    }

    @Configuration
    static class Beans {

        @Bean
        Index index(@Value("${filelock.dir}") Path dir) {
            return new Index(dir);
        }
    }

    static class Index {

        private final Path dir;

        Index(Path dir) {
            this.dir = dir;
        }

        @FileLocked(name = "index", mode = LockMode.SHARED, timeout = "5s")
        public long read() throws Exception {
            try (Stream<Path> readers = Files.list(dir.resolve("index.lock.readers"))) {
                return readers.count();
            }
        }

        @FileLocked(name = "index", timeout = "5s")
        public boolean write() {
            return Files.exists(dir.resolve("index.lock.write"));
        }
    }
}
