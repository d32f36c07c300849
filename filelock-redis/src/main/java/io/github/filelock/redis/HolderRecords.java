package io.github.filelock.redis;

import io.github.filelock.LockHolder;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * The holder record of an EXCLUSIVE hold: a Redis hash beside the lock ({@link RedisKeys#holder()}) with fields
 * {@code pid}, {@code host}, {@code thread}, {@code name}, {@code since} (ISO-8601) and {@code owner} (the Redisson
 * lock field of the hold, without its {@code :write}). Written only while the hold is in the lock's hash. Its TTL is
 * the lock's: set to the lease when written, then to the lock's remaining TTL at each check, so a record never
 * outlives the lock by more than one check. A holder removes only its own record.
 */
final class HolderRecords {

    // Only while the hold is still in the lock's hash (KEYS[2]; in the record's Cluster slot for names without
    // braces): a write that comes after the hold was lost must not replace the next holder's record.
    private static final String WRITE = "if redis.call('hexists', KEYS[2], ARGV[6] .. ':write') == 0 then "
            + "return 0 end; redis.call('del', KEYS[1]); "
            + "redis.call('hset', KEYS[1], 'pid', ARGV[1], 'host', ARGV[2], 'thread', ARGV[3], 'name', ARGV[4], "
            + "'since', ARGV[5], 'owner', ARGV[6]); "
            + "redis.call('pexpire', KEYS[1], ARGV[7]); return 1";
    private static final String REMOVE = "if redis.call('hget', KEYS[1], 'owner') == ARGV[1] then "
            + "return redis.call('del', KEYS[1]) end; return 0";
    private static final String EXPIRE = "if redis.call('hget', KEYS[1], 'owner') == ARGV[1] then "
            + "return redis.call('pexpire', KEYS[1], ARGV[2]) end; return 0";

    private final RedissonClient client;

    HolderRecords(RedissonClient client) {
        this.client = client;
    }

    CompletionStage<Object> write(RedisKeys keys, String owner, LockHolder holder, long ttlMillis) {
        return script().evalAsync(keys.holder(), RScript.Mode.READ_WRITE, WRITE, RScript.ReturnType.LONG,
                List.of(keys.holder(), keys.lock()), Long.toString(holder.pid()), holder.host(),
                holder.thread().orElse(""), holder.name().orElse(""), holder.acquiredAt().toString(), owner,
                Long.toString(ttlMillis));
    }

    CompletionStage<Object> remove(RedisKeys keys, String owner) {
        return script().evalAsync(keys.holder(), RScript.Mode.READ_WRITE, REMOVE, RScript.ReturnType.LONG,
                List.of(keys.holder()), owner);
    }

    CompletionStage<Object> expire(RedisKeys keys, String owner, long ttlMillis) {
        return script().evalAsync(keys.holder(), RScript.Mode.READ_WRITE, EXPIRE, RScript.ReturnType.LONG,
                List.of(keys.holder()), owner, Long.toString(ttlMillis));
    }

    /** The record and the owner that wrote it, if there is one. */
    Optional<Map.Entry<String, LockHolder>> read(RedisKeys keys) throws IOException {
        Map<String, String> fields = Awaits.await(client.<String, String>getMap(keys.holder(), StringCodec.INSTANCE)
                .readAllMapAsync(), "read the holder record " + keys.holder());
        return parse(fields).map(h -> Map.entry(fields.getOrDefault("owner", ""), h));
    }

    static Optional<LockHolder> parse(Map<String, String> fields) {
        try {
            String thread = fields.getOrDefault("thread", "");
            String name = fields.getOrDefault("name", "");
            return Optional.of(new LockHolder(Long.parseLong(fields.get("pid")), fields.get("host"),
                    thread.isEmpty() ? Optional.empty() : Optional.of(thread),
                    name.isEmpty() ? Optional.empty() : Optional.of(name), Instant.parse(fields.get("since"))));
        } catch (NumberFormatException | DateTimeParseException | NullPointerException e) {
            return Optional.empty(); // gone between reads, or not ours
        }
    }

    private RScript script() {
        return client.getScript(StringCodec.INSTANCE);
    }
}
