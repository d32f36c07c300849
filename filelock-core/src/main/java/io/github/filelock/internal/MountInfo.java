package io.github.filelock.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The mount a path lives on, from Linux {@code /proc/self/mountinfo}: for messages that name the file system, and
 * for the device number the kernel's lock table uses for its files ({@code device}, {@code major:minor}).
 */
public record MountInfo(Path mountPoint, String fsType, String source, String device) {

    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    /** The mount holding {@code realPath}, or empty when this is not Linux. */
    public static Optional<MountInfo> of(Path realPath) {
        try {
            return of(realPath, Files.readAllLines(MOUNTINFO));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The mount with the longest mount point that contains {@code realPath} (the last one wins on ties: a later
     * mount on the same point hides the earlier). Lines look like
     * {@code 36 35 98:0 /mnt1 /mnt/nfs rw,noatime master:1 - nfs4 server:/export rw,vers=4.2}.
     */
    static Optional<MountInfo> of(Path realPath, List<String> mountinfo) {
        MountInfo best = null;
        for (String line : mountinfo) {
            String[] f = line.split(" ");
            int dash = List.of(f).indexOf("-");
            if (f.length < 5 || dash < 0 || dash + 2 >= f.length) {
                continue;
            }
            Path point = Path.of(unescape(f[4]));
            if (realPath.startsWith(point)
                    && (best == null || point.getNameCount() >= best.mountPoint.getNameCount())) {
                best = new MountInfo(point, f[dash + 1], unescape(f[dash + 2]), f[2]);
            }
        }
        return Optional.ofNullable(best);
    }

    // mountinfo writes space, tab, newline and backslash as octal escapes: "\040".
    private static String unescape(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length()
                    && field.substring(i + 1, i + 4).chars().allMatch(Character::isDigit)) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    public String describe() {
        return mountPoint + " (" + fsType + " from " + source + ")";
    }
}
