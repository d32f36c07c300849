package io.github.filelock.crossprocess;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockType;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** {@code key=value} arguments of a child main, and the registry they describe. */
final class ChildArgs {

    private final Map<String, String> values = new HashMap<>();

    ChildArgs(String[] args) {
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("child argument '" + arg + "' is not key=value");
            }
            values.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
    }

    String get(String key) {
        String value = values.get(key);
        if (value == null) {
            throw new IllegalArgumentException("child argument " + key + "= is missing; got " + values);
        }
        return value;
    }

    String get(String key, String fallback) {
        return values.getOrDefault(key, fallback);
    }

    int getInt(String key, int fallback) {
        return Integer.parseInt(get(key, String.valueOf(fallback)));
    }

    /** A registry on {@code dir=}, with {@code type=}, {@code maxOpenFiles=}, {@code deleteIdle=}. */
    FileLockRegistry registry() {
        FileLockRegistry.Builder builder = FileLockRegistry.builder(Path.of(get("dir")))
                .type(LockType.valueOf(get("type", "FLOCK")))
                .maxOpenFiles(getInt("maxOpenFiles", 256))
                .deleteIdleLockFiles(Boolean.parseBoolean(get("deleteIdle", "false")));
        return builder.build();
    }

    static String arg(String key, Object value) {
        return key + "=" + value;
    }
}
