package io.github.filelock.crossprocess;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs the worker threads of a child JVM and ends the child when one of them fails: {@code FAILED} and its stack
 * trace on stdout, exit code 1, which the test reads as a failure of that child.
 */
final class ChildWorkers {

    /** The work of one thread, numbered from 0. */
    @FunctionalInterface
    interface Work {
        void run(int thread) throws Exception;
    }

    private ChildWorkers() {
    }

    /** Runs {@code work} on {@code threads} threads named {@code prefix-N} and waits for all of them. */
    static void runAll(int threads, String prefix, Work work) throws InterruptedException {
        List<Thread> workers = new ArrayList<>();
        Throwable[] failure = new Throwable[1];
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread worker = new Thread(() -> {
                try {
                    work.run(thread);
                } catch (Throwable e) {
                    synchronized (failure) {
                        failure[0] = e;
                    }
                }
            }, prefix + "-" + t);
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        if (failure[0] != null) {
            System.out.println("FAILED " + failure[0]);
            failure[0].printStackTrace(System.out);
            System.exit(1);
        }
    }
}
