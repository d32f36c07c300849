/**
 * The advisor, interceptor and start-up checks behind {@code @FileLocked}: implementation, not API (some types are
 * public only for the auto-configuration).
 */
@NullMarked
package io.github.filelock.spring.aop;

import org.jspecify.annotations.NullMarked;
