package io.github.filelock.internal.soft;

import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.Arrays;

/** Path bytes for libc calls, in the JVM's file-name encoding, and back for messages. */
final class Paths {

    private static final Charset PATH_CHARSET = Charset.forName(
            System.getProperty("sun.jnu.encoding", Charset.defaultCharset().name()));

    private Paths() {
    }

    static byte[] cString(Path file) {
        return cString(file.toString());
    }

    static byte[] cString(String file) {
        byte[] bytes = file.getBytes(PATH_CHARSET);
        return Arrays.copyOf(bytes, bytes.length + 1);
    }

    static String show(byte[] cString) {
        return new String(cString, 0, cString.length - 1, PATH_CHARSET);
    }
}
