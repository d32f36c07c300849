package io.github.filelock.spring.actuate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.util.FileSystemUtils;

/**
 * The lock directory of one web test class: created with the class (before Spring reads {@code filelock.dir}),
 * handed to Spring through {@link #register}, and deleted after the class's tests. Keep it in a
 * {@code @RegisterExtension static final} field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ClassLockDirectory DIR = new ClassLockDirectory("my-test");
 *
 * @DynamicPropertySource
 * static void lockDir(DynamicPropertyRegistry registry) {
 *     DIR.register(registry);
 * }
 * }</pre>
 */
final class ClassLockDirectory implements AfterAllCallback {

    private final Path path;

    ClassLockDirectory(String prefix) {
        try {
            path = Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path path() {
        return path;
    }

    /** Sets {@code filelock.dir} to this directory. */
    void register(DynamicPropertyRegistry registry) {
        registry.add("filelock.dir", path::toString);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        FileSystemUtils.deleteRecursively(path);
    }
}
