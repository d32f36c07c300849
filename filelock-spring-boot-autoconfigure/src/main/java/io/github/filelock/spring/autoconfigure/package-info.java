/**
 * The auto-configuration and the {@code filelock.*} properties.
 */
@NullMarked
package io.github.filelock.spring.autoconfigure;

import org.jspecify.annotations.NullMarked;
