package io.github.filelock.redis;

/**
 * The Redis keys of one lock name: the lock itself ({@code <prefix><name>}, a Redisson read/write lock hash) and the
 * holder record beside it ({@code {<prefix><name>}:filelock_holder}). The record's key starts with a brace and a lock
 * key never does (a prefix has no braces), so no lock name's key can be another name's record; for names without
 * braces the tag also puts both keys in one Redis Cluster slot.
 */
record RedisKeys(String lock, String holder) {

    static RedisKeys of(String prefix, String name) {
        String lock = prefix + name;
        return new RedisKeys(lock, "{" + lock + "}:filelock_holder");
    }

    /** Redisson's release channel of the read/write lock ({@code redisson_rwlock:{<lock key>}}). */
    String channel() {
        return lock.contains("{") ? "redisson_rwlock:" + lock : "redisson_rwlock:{" + lock + "}";
    }

    @Override
    public String toString() {
        return "key " + lock;
    }
}
