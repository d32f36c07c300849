/**
 * The {@code soft-lease} type: protocol 2 markers with a heartbeat lease, as Python filelock's {@code SoftFileLease}
 * writes and judges them; not API.
 */
@NullMarked
package io.github.filelock.internal.soft.lease;

import org.jspecify.annotations.NullMarked;
