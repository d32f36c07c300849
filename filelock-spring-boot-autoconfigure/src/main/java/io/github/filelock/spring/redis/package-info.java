/**
 * The {@code redis} lock type in Spring: {@code filelock.type=redis} or per name, on the application's
 * {@code RedissonClient} or on one built from {@code spring.data.redis.*}, with its health indicator.
 */
@NullMarked
package io.github.filelock.spring.redis;

import org.jspecify.annotations.NullMarked;
