package io.github.filelock.crossprocess;

/**
 * Whether a thread is inside the native {@code flock} call: a platform caller of the flock backend waits there itself
 * (stopped by a signal), so it shows as RUNNABLE, not parked. Read from its stack, a real observation, not a hook.
 */
final class InFlock {

    private InFlock() {
    }

    static boolean blocked(Thread thread) {
        StackTraceElement[] stack = thread.getStackTrace();
        return stack.length > 0 && stack[0].isNativeMethod() && stack[0].getMethodName().equals("flock")
                && stack[0].getClassName().endsWith(".LibC");
    }

    /** Parked in a wait, or blocked in {@code flock}: waiting, not on its way there. */
    static boolean waiting(Thread thread) {
        Thread.State state = thread.getState();
        return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING || blocked(thread);
    }
}
