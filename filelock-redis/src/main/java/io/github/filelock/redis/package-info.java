/**
 * The {@code redis} lock type: {@link io.github.filelock.redis.RedisLockBackend}, a backend of the engine's SPI over
 * Redisson's read/write locks. Locks are leases kept alive by Redisson's watchdog; see docs/redis.md.
 */
@NullMarked
package io.github.filelock.redis;

import org.jspecify.annotations.NullMarked;
