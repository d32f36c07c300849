package io.github.filelock.internal.soft;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A process's start token, as Python filelock computes it on Linux: {@code (boot_id << 64) | starttime}, where
 * {@code boot_id} is {@code /proc/sys/kernel/random/boot_id} without dashes read as a 128-bit hex number, and
 * {@code starttime} is field 22 of {@code /proc/<pid>/stat} (clock ticks since boot). A pid plus its token
 * names one process for the life of the machine: a reused pid has another starttime, a reboot another boot id.
 */
public final class StartTokens {

    private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");
    // Fields after the last ')' (comm may contain spaces and parentheses) start at field 3; 22 is index 19.
    private static final int STARTTIME_AFTER_COMM = 19;

    private static final Optional<BigInteger> BOOT = readBootId();

    private StartTokens() {
    }

    /** The token of a running process, or empty when it is gone or /proc cannot tell. */
    public static Optional<BigInteger> of(long pid) {
        OptionalLong start = startTime(pid);
        if (BOOT.isEmpty() || start.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(BOOT.get().shiftLeft(64).or(BigInteger.valueOf(start.getAsLong())));
    }

    /**
     * Whether {@code recorded} is the token of the process now running as {@code pid}. Also accepts a bare
     * starttime, which some filelock versions write. Fails closed: when the current token cannot be read, the
     * pid is not proven reused.
     */
    static boolean matches(BigInteger recorded, long pid) {
        OptionalLong start = startTime(pid);
        if (start.isEmpty() || BOOT.isEmpty()) {
            return true;
        }
        BigInteger bare = BigInteger.valueOf(start.getAsLong());
        return recorded.equals(BOOT.get().shiftLeft(64).or(bare)) || recorded.equals(bare);
    }

    static OptionalLong startTime(long pid) {
        try {
            String stat = new String(Files.readAllBytes(Path.of("/proc/" + pid + "/stat")),
                    StandardCharsets.ISO_8859_1);
            String[] fields = stat.substring(stat.lastIndexOf(')') + 1).trim().split("\\s+");
            return fields.length > STARTTIME_AFTER_COMM
                    ? OptionalLong.of(Long.parseLong(fields[STARTTIME_AFTER_COMM])) : OptionalLong.empty();
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    private static Optional<BigInteger> readBootId() {
        try {
            String hex = Files.readString(BOOT_ID).trim().replace("-", "");
            return Optional.of(new BigInteger(hex, 16));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
