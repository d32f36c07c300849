package io.github.filelock.spring.aop;

import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/** What a method returns when {@code onTimeout = SKIP} keeps it from running. */
final class SkipValues {

    private SkipValues() {
    }

    /**
     * @throws IllegalArgumentException for primitive return types, which have no "nothing happened" value
     */
    static @Nullable Object forReturnType(Class<?> type) {
        if (type == void.class || type == Void.class) {
            return null;
        }
        if (type.isPrimitive()) {
            throw new IllegalArgumentException("onTimeout = SKIP cannot be used on a method that returns"
                    + " the primitive '"
                    + type.getName() + "': a skipped call has no value to return");
        }
        if (type == Optional.class) {
            return Optional.empty();
        }
        if (type == OptionalInt.class) {
            return OptionalInt.empty();
        }
        if (type == OptionalLong.class) {
            return OptionalLong.empty();
        }
        if (type == OptionalDouble.class) {
            return OptionalDouble.empty();
        }
        return null;
    }
}
