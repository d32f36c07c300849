package io.github.filelock.redis;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code key=value} arguments of a child JVM: the server and prefix of {@link TestServer#childArgs()}, and more. */
final class ChildSettings {

    private final Map<String, String> values = new HashMap<>();

    ChildSettings(String[] args) {
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("child argument '" + arg + "' is not key=value");
            }
            values.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
    }

    /** The parent's side: the run's server, prefix and {@code extra} arguments, as one array. */
    static Object[] args(String... extra) {
        List<String> all = new java.util.ArrayList<>(TestServer.childArgs());
        all.addAll(List.of(extra));
        return all.toArray();
    }

    String get(String key) {
        String value = values.get(key);
        if (value == null) {
            throw new IllegalArgumentException("child argument " + key + "= is missing; got " + values.keySet());
        }
        return value;
    }

    int getInt(String key, int fallback) {
        return values.containsKey(key) ? Integer.parseInt(values.get(key)) : fallback;
    }

    RedisLockBackend backend() throws java.io.IOException {
        return RedisLockBackend.open(TestServer.config(get("url")), RedisSettings.builder().prefix(get("prefix"))
                .lease(Duration.ofMillis(getInt("leaseMillis", 30_000))).build());
    }
}
