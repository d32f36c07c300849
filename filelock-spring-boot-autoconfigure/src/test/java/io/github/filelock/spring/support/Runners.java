package io.github.filelock.spring.support;

import io.github.filelock.spring.autoconfigure.FileLockAutoConfiguration;
import java.nio.file.Path;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The context runner the tests share: Boot's AOP auto-configuration plus ours, on a given lock directory. */
public final class Runners {

    private Runners() {
    }

    public static ApplicationContextRunner withLockDir(Path dir) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, FileLockAutoConfiguration.class))
                .withPropertyValues("filelock.dir=" + dir);
    }
}
