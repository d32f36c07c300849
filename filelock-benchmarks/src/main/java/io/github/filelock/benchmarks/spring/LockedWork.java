package io.github.filelock.benchmarks.spring;

import io.github.filelock.spring.FileLocked;

/** A bean whose only work is the lock: what the {@code @FileLocked} proxy adds is all that is measured. */
public class LockedWork {

    static final String NAME = "spring-bench";

    private int calls;

    @FileLocked(name = NAME, timeout = "10s")
    public int run() {
        return ++calls;
    }
}
