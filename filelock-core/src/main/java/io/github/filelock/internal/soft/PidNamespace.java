package io.github.filelock.internal.soft;

import io.github.filelock.internal.ProcessIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The host field this process writes in its markers. A pid names a process only within a pid namespace, and two
 * containers of one pod share a host name but not their pids: a reader there must not probe the other's pid. In the
 * kernel's initial pid namespace (whose inode is fixed, {@code PROC_PID_INIT_INO}) the field is the bare host name,
 * as Python writes it; elsewhere it is {@code <host>/pidns:<inode>}. A reader compares the whole field with its own,
 * so only processes of one namespace probe each other's pids, and Python, comparing the host string, sees another
 * host and never breaks such a marker. A line break in the host name is written as {@code ?} (see {@link #oneLine}).
 */
public final class PidNamespace {

    /** {@code PROC_PID_INIT_INO}: the inode of the initial pid namespace. */
    static final long INITIAL = 4026531836L;

    private static final String MARKER_HOST = markerHost(ProcessIdentity.HOST, readOwn());

    private PidNamespace() {
    }

    /** What this process writes as its host, and what a marker must name for this process to probe its pid. */
    public static String markerHost() {
        return MARKER_HOST;
    }

    static String markerHost(String host, long namespace) {
        String field = oneLine(host);
        if (namespace == INITIAL) {
            return field;
        }
        // Unknown (-1): a field no other process writes, so nobody probes this process's pid and it probes none.
        return field + "/pidns:" + (namespace < 0 ? "unknown-" + ProcessIdentity.PID : Long.toString(namespace));
    }

    /**
     * Linux accepts any bytes as a host name. A line break in the field would give the marker more lines than the
     * protocol has, and every reader would take it for malformed and break it under a live holder: each becomes
     * {@code ?}. Python, comparing its raw host name, then sees another host, and never breaks the marker.
     */
    private static String oneLine(String host) {
        StringBuilder field = new StringBuilder(host.length());
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            field.append(PythonText.isLineBoundary(c) ? '?' : c);
        }
        return field.toString();
    }

    /** The inode of this process's pid namespace, or -1 when {@code /proc} does not tell. */
    private static long readOwn() {
        try {
            String link = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString(); // pid:[4026531836]
            return Long.parseLong(link.substring(link.indexOf('[') + 1, link.lastIndexOf(']')));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
