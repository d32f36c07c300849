package io.github.filelock.redis;

import java.io.IOException;

/** Real signals to a child JVM, through kill(1): SIGSTOP freezes every thread, the watchdog's too. */
final class Signals {

    private Signals() {
    }

    static void stop(long pid) throws IOException, InterruptedException {
        send("-STOP", pid);
    }

    static void resume(long pid) throws IOException, InterruptedException {
        send("-CONT", pid);
    }

    private static void send(String signal, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", signal, Long.toString(pid)).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill " + signal + " " + pid + " failed");
        }
    }
}
