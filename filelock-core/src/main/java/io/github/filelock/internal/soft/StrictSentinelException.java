package io.github.filelock.internal.soft;

import java.io.IOException;
import java.nio.file.Path;

/** A {@code soft} lock (or an operator break) found a {@code strict-soft} name's sentinel at its lock path. */
public final class StrictSentinelException extends IOException {

    private static final long serialVersionUID = 1L;

    public StrictSentinelException(Path file) {
        super(file + " holds a Python StrictSoftFileLock sentinel, the permanent marker of the strict-soft type:"
                + " this name is locked with strict-soft, whose holders claim it under " + file + ".filelock/claims"
                + " and never remove the sentinel. It is no holder and is never broken, so a soft lock on this name"
                + " could never be granted, and soft and strict-soft do not exclude each other. Every process that"
                + " uses a name must use the same type: configure this name as strict-soft.");
    }
}
