package io.github.filelock.benchmarks.names;

/** What one distinct-names run measured in its own JVM. */
public record NamesResult(int count, boolean deleteIdleFiles, long elapsedNanos, long fdsBefore, long peakFds,
        long fdsAfter, long heapBeforeBytes, long heapAfterBytes, long filesLeft) {

    public long retainedHeapBytes() {
        return heapAfterBytes - heapBeforeBytes;
    }

    public double microsPerName() {
        return elapsedNanos / 1000.0 / count;
    }
}
