package io.github.filelock.internal.soft;

import java.nio.file.Path;

/**
 * Lets one copy of this library per JVM use {@code soft} locks. A soft marker names the process, not the copy that
 * wrote it, and only {@link OwnMarkers} tells a marker this process holds from one a failed removal left behind; a
 * second copy (two web applications with their own jars in one container) has its own {@code OwnMarkers}, so it
 * would take the first copy's held markers for leftovers of its own and break them. The copy with soft backends open
 * is named in a system property (a plain string, visible to every class loader), claimed by its first soft backend
 * and given up with its last.
 */
final class SoftCopies {

    static final String PROPERTY = "io.github.filelock.soft.copy";
    private static final String THIS_COPY = SoftCopies.class.getClassLoader() + " (copy "
            + Integer.toHexString(System.identityHashCode(SoftCopies.class)) + ")";

    // guarded by SoftCopies.class
    private static int open;

    private SoftCopies() {
    }

    /** @throws IllegalStateException when another copy of the library in this JVM has soft backends open */
    static synchronized void opened(Path directory) {
        if (open == 0) {
            Object other = System.getProperties().putIfAbsent(PROPERTY, THIS_COPY);
            if (other != null && !other.equals(THIS_COPY)) {
                throw new IllegalStateException("Cannot use soft locks in " + directory + ": another copy of the"
                        + " filelock library in this JVM, loaded by " + other + ", has soft locks open, and this"
                        + " copy was loaded by " + THIS_COPY + ". A soft marker names the process, not the copy"
                        + " that wrote it, so each copy would take the other's held markers for leftovers of its own"
                        + " and break them. Load filelock-core once per JVM (for example on the servlet container's"
                        + " shared class path), or use the flock type, which the kernel keeps apart per open file.");
            }
        }
        open++;
    }

    static synchronized void closed() {
        if (--open == 0) {
            System.getProperties().remove(PROPERTY, THIS_COPY);
        }
    }
}
