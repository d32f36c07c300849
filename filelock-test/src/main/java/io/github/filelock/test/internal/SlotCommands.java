package io.github.filelock.test.internal;

import io.github.filelock.LockHolder;
import io.github.filelock.LockMode;
import io.github.filelock.internal.ProcessIdentity;
import io.github.filelock.spi.LockSlot;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * The command loop of a child JVM holding one slot, the same whichever backend made it: it runs the lines it reads
 * ({@code lock MODE}, {@code try MODE}, {@code unlock}, {@code valid}, {@code describe}) and prints
 * {@code GRANTED <epoch ms>} or {@code ABANDONED <epoch ms>}, {@code TRY <bool>}, {@code UNLOCKED} or
 * {@code UNLOCK-FAILED <why>}, {@code VALID <bool>} and {@code DESCRIBED}.
 */
public final class SlotCommands {

    private SlotCommands() {
    }

    /** The line a child prints from its slot's loss callback. */
    public static void printLost() {
        System.out.println("LOST " + System.currentTimeMillis());
    }

    /** Prints {@code READY}, then serves standard input until it ends; {@code key} is what {@code describe} names. */
    public static void serve(LockSlot slot, String key) throws IOException {
        System.out.println("READY");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String[] words = line.split(" ");
            switch (words[0]) {
                case "lock" -> {
                    boolean granted = slot.lock(LockMode.valueOf(words[1]));
                    System.out.println((granted ? "GRANTED " : "ABANDONED ") + System.currentTimeMillis());
                }
                case "try" -> System.out.println("TRY " + slot.tryLock(LockMode.valueOf(words[1])));
                case "unlock" -> {
                    try {
                        slot.unlock();
                        System.out.println("UNLOCKED");
                    } catch (IOException e) {
                        System.out.println("UNLOCK-FAILED " + e.getMessage());
                    }
                }
                case "valid" -> System.out.println("VALID " + slot.isValid());
                case "describe" -> {
                    slot.describeHolder(new LockHolder(ProcessIdentity.PID, ProcessIdentity.HOST,
                            Optional.of("child-main"), Optional.of(key), Instant.now()));
                    System.out.println("DESCRIBED");
                }
                default -> throw new IllegalArgumentException("unknown command " + line);
            }
        }
    }
}
