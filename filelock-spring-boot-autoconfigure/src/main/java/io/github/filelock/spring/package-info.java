/**
 * What applications use: {@link io.github.filelock.spring.FileLocked}, {@link io.github.filelock.spring.OnTimeout}
 * and per-name registry routing ({@link io.github.filelock.spring.FileLockRegistries}).
 */
@NullMarked
package io.github.filelock.spring;

import org.jspecify.annotations.NullMarked;
