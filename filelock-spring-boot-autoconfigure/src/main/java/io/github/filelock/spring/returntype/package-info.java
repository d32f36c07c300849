/**
 * Return-type extensions: how a {@code @FileLocked} method's result decides when its lock is released.
 */
@NullMarked
package io.github.filelock.spring.returntype;

import org.jspecify.annotations.NullMarked;
