/**
 * Command-line tools that ship in {@code filelock-core}: {@link io.github.filelock.tools.VerifyFileSystem}, which a
 * user runs on a mount before choosing a lock type.
 */
@NullMarked
package io.github.filelock.tools;

import org.jspecify.annotations.NullMarked;
