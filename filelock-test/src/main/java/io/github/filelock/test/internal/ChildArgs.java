package io.github.filelock.test.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code key=value} arguments of a child JVM in the backend modules' tests: the server arguments of the run's test
 * server ({@code childArgs()}) and whatever the test adds.
 */
public final class ChildArgs {

    private final Map<String, String> values = new HashMap<>();

    public ChildArgs(String[] args) {
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("child argument '" + arg + "' is not key=value");
            }
            values.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
    }

    /** The parent's side: the server's arguments and {@code extra} ones, as one array for a child JVM. */
    public static Object[] join(List<String> server, String... extra) {
        List<String> all = new ArrayList<>(server);
        all.addAll(List.of(extra));
        return all.toArray();
    }

    public String get(String key) {
        String value = values.get(key);
        if (value == null) {
            throw new IllegalArgumentException("child argument " + key + "= is missing; got " + values.keySet());
        }
        return value;
    }

    /** The value of an argument the child may go without, such as a password. */
    public @Nullable String find(String key) {
        return values.get(key);
    }

    public int getInt(String key, int fallback) {
        String value = values.get(key);
        return value == null ? fallback : Integer.parseInt(value);
    }
}
