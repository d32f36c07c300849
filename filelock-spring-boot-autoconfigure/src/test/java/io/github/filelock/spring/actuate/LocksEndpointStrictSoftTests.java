package io.github.filelock.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.LockType;
import io.github.filelock.spring.autoconfigure.FileLockAutoConfiguration;
import io.github.filelock.spring.support.LockHoldingChild;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@code locks} names a strict-soft holder in another process by the pid and host its claim records. */
class LocksEndpointStrictSoftTests {

    @TempDir
    Path tmp;

    @Test
    void aStrictSoftHolderInAnotherProcessIsListedWithItsPidAndHost() throws Exception {
        try (LockHoldingChild child = LockHoldingChild.start(tmp.toRealPath(), "batch", LockType.STRICT_SOFT)) {
            new ApplicationContextRunner()
                    .withConfiguration(AutoConfigurations.of(FileLockAutoConfiguration.class,
                            FileLockEndpointAutoConfiguration.class))
                    .withPropertyValues("filelock.dir=" + tmp, "filelock.locks.batch.type=strict-soft",
                            "management.endpoints.web.exposure.include=locks")
                    .run(context -> {
                        FileLocksEndpoint endpoint = context.getBean(FileLocksEndpoint.class);
                        assertThat(endpoint.locks().heldByOtherProcesses()).singleElement().satisfies(other -> {
                            assertThat(other.name()).isEqualTo("batch");
                            assertThat(other.holder()).isNotNull();
                            assertThat(other.holder().pid()).isEqualTo(child.pid());
                            assertThat(other.holder().host()).isNotBlank();
                        });
                        LockReports.Lock one = endpoint.lock("batch");
                        assertThat(one.state()).isEqualTo("HELD_BY_OTHER_PROCESS");
                        assertThat(one.holder()).isNotNull();
                        assertThat(one.holder().pid()).isEqualTo(child.pid());
                    });
        }
    }
}
