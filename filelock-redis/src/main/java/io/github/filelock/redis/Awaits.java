package io.github.filelock.redis;

import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.redisson.client.RedisException;

/** Waits for a Redisson reply and turns its failure into an {@link IOException} that says what failed where. */
final class Awaits {

    private Awaits() {
    }

    static <T> T await(CompletionStage<T> reply, String what) throws IOException {
        try {
            return reply.toCompletableFuture().join();
        } catch (CompletionException e) {
            throw failure(what, e.getCause() != null ? e.getCause() : e);
        } catch (CancellationException e) {
            throw e;
        } catch (RedisException e) {
            throw failure(what, e);
        }
    }

    static IOException failure(String what, Throwable cause) {
        return new IOException("Could not " + what + ": " + cause.getMessage(), cause);
    }
}
