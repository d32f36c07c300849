package io.github.filelock.redis;

import io.github.filelock.LockHolder;
import io.github.filelock.LockMode;
import io.github.filelock.internal.ProcessIdentity;
import io.github.filelock.spi.LockSlot;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * A child JVM with one slot on {@code key=}: it runs the lines it reads ({@code lock MODE}, {@code try MODE},
 * {@code unlock}, {@code valid}, {@code describe}) and prints {@code READY}, {@code GRANTED <epoch ms>},
 * {@code TRY <bool>}, {@code UNLOCKED}, {@code VALID <bool>}, {@code DESCRIBED}, and {@code LOST <epoch ms>} when the
 * backend declares the hold lost.
 */
public final class LockChild {

    public static void main(String[] args) throws Exception {
        ChildSettings settings = new ChildSettings(args);
        try (RedisLockBackend backend = settings.backend();
             LockSlot slot = backend.openSlot(settings.get("key"),
                     () -> System.out.println("LOST " + System.currentTimeMillis()))) {
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
                        } catch (java.io.IOException e) {
                            System.out.println("UNLOCK-FAILED " + e.getMessage());
                        }
                    }
                    case "valid" -> System.out.println("VALID " + slot.isValid());
                    case "describe" -> {
                        slot.describeHolder(new LockHolder(ProcessIdentity.PID, ProcessIdentity.HOST,
                                Optional.of("child-main"), Optional.of(settings.get("key")), Instant.now()));
                        System.out.println("DESCRIBED");
                    }
                    default -> throw new IllegalArgumentException("unknown command " + line);
                }
            }
        }
    }
}
