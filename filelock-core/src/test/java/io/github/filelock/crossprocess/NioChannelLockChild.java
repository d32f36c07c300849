package io.github.filelock.crossprocess;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Child JVM that locks a file with plain {@code FileChannel.lock()} (no engine), prints {@code LOCKED}, and
 * holds until stdin closes. Used to show what that lock does and does not exclude. Arguments: {@code file=}.
 */
public final class NioChannelLockChild {

    public static void main(String[] argv) throws Exception {
        Path file = Path.of(new ChildArgs(argv).get("file"));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.lock()) {
            System.out.println("LOCKED " + ProcessHandle.current().pid());
            while (System.in.read() >= 0) {
                // hold until the test closes our stdin
            }
        }
    }
}
