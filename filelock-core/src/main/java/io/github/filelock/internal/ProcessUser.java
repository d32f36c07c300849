package io.github.filelock.internal;

import com.sun.security.auth.module.UnixSystem;
import java.util.HashSet;
import java.util.Set;

/** The user and groups this process runs as, which decide whose directories it may trust. */
public record ProcessUser(long uid, Set<Long> groups) {

    public static final long ROOT = 0;

    /** This process, read once from the JDK (no JNA: the check must work where native access fails). */
    public static ProcessUser current() {
        UnixSystem system = new UnixSystem();
        Set<Long> groups = new HashSet<>();
        groups.add(system.getGid());
        for (long group : system.getGroups()) {
            groups.add(group);
        }
        return new ProcessUser(system.getUid(), Set.copyOf(groups));
    }

    public boolean isIn(long gid) {
        return groups.contains(gid);
    }
}
