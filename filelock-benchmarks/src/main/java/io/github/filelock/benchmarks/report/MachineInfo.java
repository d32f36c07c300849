package io.github.filelock.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine a run came from: the figures mean little without it, nor without how busy it was. */
public record MachineInfo(int cpus, String cpuModel, String kernel, String jdk, String fileSystem, String benchDir,
        String loadAtStart, String loadAtEnd) {

    public static MachineInfo describe(Path benchDir) {
        return new MachineInfo(Runtime.getRuntime().availableProcessors(), readCpuModel(), readKernel(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                fileSystem(benchDir), benchDir.toString(), loadAverage(), "");
    }

    public MachineInfo withLoadAtEnd() {
        return new MachineInfo(cpus, cpuModel, kernel, jdk, fileSystem, benchDir, loadAtStart, loadAverage());
    }

    public String render() {
        return new MarkdownTable("machine", "")
                .row("CPUs (nproc)", Integer.toString(cpus))
                .row("CPU model", cpuModel)
                .row("kernel", kernel)
                .row("JDK", jdk)
                .row("lock directory file system", fileSystem + " (" + benchDir + ")")
                .row("load average (1, 5, 15 min) at start / end", loadAtStart + " / " + loadAtEnd)
                .render();
    }

    private static String readCpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip())
                    .findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static String readKernel() {
        return System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch");
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + ", " + fields[1] + ", " + fields[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String fileSystem(Path dir) {
        try {
            Files.createDirectories(dir);
            return Files.getFileStore(dir).type();
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
