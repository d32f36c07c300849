package io.github.filelock.redis;

import io.github.filelock.LockHolder;
import io.github.filelock.spi.LockBackend;
import io.github.filelock.spi.LockSlot;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicLong;
import org.redisson.Redisson;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * Locks on Redis through Redisson: each name is one {@code RReadWriteLock} on key {@code <prefix><name>}; EXCLUSIVE is
 * its write lock, SHARED its read lock. Waiting is Redisson's: it subscribes to the lock's channel and tries again
 * when the holder's unlock message arrives, so a hand-off costs a few round trips and no polling.
 *
 * <p><b>Leases.</b> A Redis lock is a lease that Redisson's watchdog renews every third of
 * {@code lockWatchdogTimeout} (here {@link #lease()}) while this JVM runs. A holder frozen (a long GC, SIGSTOP) or cut
 * off from Redis for longer than the lease loses the lock while it still runs, and a failover to a replica that had
 * not seen the lock loses it at once. The slot finds out at its next check and reports it ({@code onLoss}, which the
 * engine turns into an ERROR, the {@code filelock.lost} metric and {@code isValid() == false}). This is the opposite
 * of flock and PostgreSQL, whose locks end only when the holder's process or session does.
 *
 * <p><b>Holders.</b> An EXCLUSIVE holder writes who it is next to the lock ({@link HolderRecords}); other processes
 * read it for inspection, the endpoint and timeout messages.
 */
public final class RedisLockBackend implements LockBackend {

    public static final String TYPE = "redis";
    private static final System.Logger LOG = System.getLogger("io.github.filelock");
    // Negative, so never the id of a real thread that uses the same client's locks directly. One counter for the
    // JVM, not per backend: backends on one client share its id, and Redisson's locks are reentrant per id.
    private static final AtomicLong OWNERS = new AtomicLong();

    private final RedissonClient client;
    private final boolean ownsClient;
    private final RedisSettings settings;
    private final Duration lease;
    private final String location;
    private final HolderRecords records;
    private final ScheduledThreadPoolExecutor timer;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    private RedisLockBackend(RedissonClient client, boolean ownsClient, RedisSettings settings) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.settings = settings;
        this.lease = Duration.ofMillis(client.getConfig().getLockWatchdogTimeout());
        this.location = locationOf(client.getConfig());
        this.records = new HolderRecords(client);
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "filelock-redis-check");
            t.setDaemon(true);
            return t;
        });
        this.timer.setRemoveOnCancelPolicy(true);
    }

    /**
     * A backend on the application's {@code client}, which stays the application's: closing the backend does not
     * shut it down. The lease is the client's {@code lockWatchdogTimeout}; settings that ask for another are refused
     * (build a client for the locks with {@link #open(Config, RedisSettings)} instead). Pings the server once, and
     * fails now rather than at the first lock.
     */
    public static RedisLockBackend open(RedissonClient client, RedisSettings settings) throws IOException {
        Duration wanted = settings.lease();
        long has = client.getConfig().getLockWatchdogTimeout();
        if (wanted != null && wanted.toMillis() != has) {
            throw new IllegalArgumentException("lease " + wanted + " differs from the client's lockWatchdogTimeout ("
                    + has + " ms): the watchdog is the client's; set it there, or let the backend build its own client"
                    + " with RedisLockBackend.open(Config, RedisSettings)");
        }
        return started(new RedisLockBackend(client, false, settings));
    }

    /**
     * A backend on a client of its own, built from a copy of {@code config} with the lease of {@code settings} as its
     * {@code lockWatchdogTimeout}; closing the backend shuts the client down.
     */
    public static RedisLockBackend open(Config config, RedisSettings settings) throws IOException {
        Config copy = new Config(config);
        if (settings.lease() != null) {
            copy.setLockWatchdogTimeout(settings.lease().toMillis());
        }
        RedissonClient client;
        try {
            client = Redisson.create(copy);
        } catch (RuntimeException e) {
            throw new IOException("Could not connect to Redis at " + locationOf(copy) + ": " + e.getMessage(), e);
        }
        return started(new RedisLockBackend(client, true, settings));
    }

    private static RedisLockBackend started(RedisLockBackend backend) throws IOException {
        try {
            backend.ping();
            return backend;
        } catch (IOException | RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** The server's address without credentials ({@code redis://host:6379}), or the kind of setup. */
    @Override
    public String location() {
        return location;
    }

    @Override
    public String locationOf(String key) {
        return keys(key) + " at " + location;
    }

    /** The Redis key of lock {@code key}'s Redisson read/write lock. */
    public String redisKey(String key) {
        return keys(key).lock();
    }

    /** The Redis key of lock {@code key}'s holder record (a hash: pid, host, thread, name, since, owner). */
    public String holderKey(String key) {
        return keys(key).holder();
    }

    private RedisKeys keys(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("a lock key is empty: name the lock");
        }
        return RedisKeys.of(settings.prefix(), key);
    }

    @Override
    public LockSlot openSlot(String key, Runnable onLoss) {
        RedisKeys keys = keys(key);
        seen.add(key);
        return new RedisLockSlot(this, keys, client.getReadWriteLock(keys.lock()), onLoss);
    }

    /** True: each hold has an owner id of its own, so two slots of a key lock independently. */
    @Override
    public boolean independentSlots() {
        return true;
    }

    /** The EXCLUSIVE holder's record, when another process (or another client) wrote it; SHARED holders write none. */
    @Override
    public List<LockHolder> holdersElsewhere(String key) throws IOException {
        Optional<Map.Entry<String, LockHolder>> found = records.read(keys(key));
        if (found.isEmpty() || found.get().getKey().startsWith(clientId() + ":")) {
            return List.of();
        }
        return List.of(found.get().getValue());
    }

    /** Whether the lock's hash has a holder field of another Redisson client (another process, or another client). */
    @Override
    public boolean isHeldElsewhere(String key) throws IOException {
        RedisKeys keys = keys(key);
        Set<String> fields = Awaits.await(client.<String, String>getMap(keys.lock(), StringCodec.INSTANCE)
                .readAllKeySetAsync(), "read " + keys + " at " + location);
        String mine = clientId() + ":";
        return fields.stream().anyMatch(f -> !f.equals("mode") && !f.startsWith(mine));
    }

    /** Keys live on the server among other applications' keys, so these are the keys this backend opened slots for. */
    @Override
    public List<String> knownKeys() {
        return new ArrayList<>(seen);
    }

    /** The lease: Redisson's {@code lockWatchdogTimeout} of the client in use. */
    public Duration lease() {
        return lease;
    }

    /** The settings this backend was opened with. */
    public RedisSettings settings() {
        return settings;
    }

    /**
     * Asks the server for an answer, for health checks.
     *
     * @throws IOException naming the server when it does not answer
     */
    public void ping() throws IOException {
        Awaits.await(client.getScript(StringCodec.INSTANCE).evalAsync(RScript.Mode.READ_ONLY, "return 1",
                RScript.ReturnType.LONG), "reach Redis at " + location);
    }

    RedissonClient client() {
        return client;
    }

    String clientId() {
        return client.getId();
    }

    long nextOwner() {
        return -OWNERS.incrementAndGet();
    }

    /** Who wrote a holder record: the hold's Redisson client and owner id. */
    String recordOwner(long owner) {
        return clientId() + ":" + owner;
    }

    HolderRecords records() {
        return records;
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    // The engine logs the loss as an ERROR with the lock's name; this says why, in Redis's terms.
    void lossSeen(RedisKeys keys, String why) {
        LOG.log(Level.DEBUG, () -> "Lease of " + keys + " at " + location + " lost: " + why);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        if (ownsClient) {
            client.shutdown();
        }
    }

    static String locationOf(Config config) {
        if (config.isSingleConfig()) {
            String address = config.useSingleServer().getAddress();
            return address == null ? "redis" : address.replaceFirst("//[^/@]*@", "//");
        }
        if (config.isSentinelConfig()) {
            return "redis (sentinel)";
        }
        return config.isClusterConfig() ? "redis (cluster)" : "redis";
    }

    @Override
    public String toString() {
        return "RedisLockBackend[" + location + ", " + settings + "]";
    }
}
