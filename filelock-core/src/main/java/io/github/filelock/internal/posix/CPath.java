package io.github.filelock.internal.posix;

import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.Arrays;

/** Path bytes for libc calls, NUL-terminated in the JVM's file-name encoding, and back for messages. */
public final class CPath {

    private static final Charset PATH_CHARSET = Charset.forName(
            System.getProperty("sun.jnu.encoding", Charset.defaultCharset().name()));

    private CPath() {
    }

    public static byte[] of(Path file) {
        return of(file.toString());
    }

    public static byte[] of(String file) {
        byte[] bytes = file.getBytes(PATH_CHARSET);
        return Arrays.copyOf(bytes, bytes.length + 1);
    }

    public static String show(byte[] cString) {
        return new String(cString, 0, cString.length - 1, PATH_CHARSET);
    }
}
