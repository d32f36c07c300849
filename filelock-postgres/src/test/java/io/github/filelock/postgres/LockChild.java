package io.github.filelock.postgres;

import io.github.filelock.spi.LockSlot;
import io.github.filelock.test.internal.ChildArgs;
import io.github.filelock.test.internal.SlotCommands;

/**
 * A child JVM with one slot on {@code key=}, driven by the lines it reads (see {@link SlotCommands}); it prints
 * {@code LOST <epoch ms>} when the backend declares the hold lost.
 */
public final class LockChild {

    public static void main(String[] args) throws Exception {
        ChildArgs settings = new ChildArgs(args);
        try (PostgresLockBackend backend = ChildSettings.backend(settings);
             LockSlot slot = backend.openSlot(settings.get("key"), SlotCommands::printLost)) {
            SlotCommands.serve(slot, settings.get("key"));
        }
    }
}
