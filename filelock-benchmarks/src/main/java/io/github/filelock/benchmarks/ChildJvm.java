package io.github.filelock.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Command lines for child JVMs that run one of this module's mains on the parent's classpath. */
public final class ChildJvm {

    private ChildJvm() {
    }

    /**
     * @param quickStart C1 only and CDS, for smoke tests that must start fast; measurements run with the
     *                   full JIT so that the figures are those of a warmed-up service
     */
    public static List<String> command(Class<?> main, String maxHeap, boolean quickStart, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xshare:auto");
        if (quickStart) {
            command.add("-XX:TieredStopAtLevel=1");
        }
        command.add("-Xmx" + maxHeap);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(args);
        return command;
    }
}
