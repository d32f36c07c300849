package io.github.filelock.benchmarks.handoff;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/** Samples as one decimal number of nanoseconds per line: the format both the Java and the Python peer write. */
final class HandOffSamples {

    private HandOffSamples() {
    }

    static void write(Path file, long[] samples) throws IOException {
        Files.writeString(file, LongStream.of(samples).mapToObj(Long::toString).collect(Collectors.joining("\n")));
    }

    static long[] read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        return lines.stream().map(String::strip).filter(s -> !s.isEmpty()).mapToLong(Long::parseLong).toArray();
    }
}
