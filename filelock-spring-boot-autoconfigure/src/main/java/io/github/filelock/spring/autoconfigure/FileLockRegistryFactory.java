package io.github.filelock.spring.autoconfigure;

import io.github.filelock.FileLockException;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockType;
import io.github.filelock.MixedLockTypesException;
import io.github.filelock.UntrustedLockDirectoryException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.springframework.core.env.Environment;

/**
 * Builds the {@link FileLockRegistry} from {@link FileLockProperties}, turning each rejected value into an
 * {@link InvalidFileLockPropertyException} that names the property to change.
 */
final class FileLockRegistryFactory {

    private FileLockRegistryFactory() {
    }

    /** The application's registry: {@code filelock.type} on {@code filelock.dir}, or on its external type's backend. */
    static FileLockRegistry create(FileLockProperties properties, Environment environment,
            List<ExternalLockType> external) {
        String removed = environment.getProperty("filelock.mechanism");
        if (removed != null) {
            // Unknown properties bind to nothing: without this, a FILE_CHANNEL setting would silently become flock.
            throw new InvalidFileLockPropertyException("filelock.mechanism", removed, "filelock.mechanism was removed"
                    + " in 0.2: the type of lock is chosen with filelock.type alone",
                    "Replace filelock.mechanism=FILE_CHANNEL with filelock.type=file-channel; remove"
                            + " filelock.mechanism=FLOCK (flock is the default type).", null);
        }
        return create(properties, environment, properties.getType(), external);
    }

    /**
     * A registry of {@code type}, for the names configured with that type: on {@code filelock.dir}, or built by the
     * {@link ExternalLockType} of a type whose locks live elsewhere (postgres).
     */
    static FileLockRegistry create(FileLockProperties properties, Environment environment, LockType type,
            List<ExternalLockType> external) {
        for (ExternalLockType candidate : external) {
            if (candidate.type() == type) {
                return candidate.createRegistry(typeProperty(properties, type), builder -> {
                    bounds(builder, properties);
                    interruptOnLoss(builder, properties);
                });
            }
        }
        if (type == LockType.POSTGRES) {
            throw new InvalidFileLockPropertyException(typeProperty(properties, type), "postgres", "postgres locks"
                    + " live in a PostgreSQL database, and the filelock-postgres module or the PostgreSQL driver is"
                    + " not on the class path", "Add the io.github.filelock:filelock-postgres dependency (it brings"
                    + " the driver org.postgresql:postgresql) and set filelock.postgres.url (or spring.datasource.url),"
                    + " or choose flock, file-channel, soft, soft-lease, strict-soft, soft-rw or auto.", null);
        }
        if (type == LockType.REDIS) {
            throw new InvalidFileLockPropertyException(typeProperty(properties, type), "redis", "redis locks live"
                    + " in Redis, and the filelock-redis module or Redisson is not on the class path", "Add the"
                    + " io.github.filelock:filelock-redis dependency (it brings org.redisson:redisson) and point"
                    + " spring.data.redis.url at the server (or declare a RedissonClient bean), or choose flock,"
                    + " file-channel, soft, soft-lease, strict-soft, soft-rw or auto.", null);
        }
        boolean dirIsDefault = properties.getDir() == null;
        Path dir = dirIsDefault ? DefaultLockDirectory.resolve(environment) : properties.getDir();
        FileLockRegistry.Builder builder = FileLockRegistry.builder(dir);
        try {
            builder.filePermissions(properties.getFilePermissions());
        } catch (IllegalArgumentException e) {
            throw new InvalidFileLockPropertyException("filelock.file-permissions", properties.getFilePermissions(),
                    e.getMessage(), "Set filelock.file-permissions to nine characters as ls -l prints them, such as"
                            + " rw-r--r-- or rw-rw----.", e);
        }
        bounds(builder, properties);
        interruptOnLoss(builder, properties);
        if (type != LockType.FLOCK) {
            builder.type(type); // flock: the platform's kernel lock (FileChannel on Windows), not forced
        }
        softTiming(builder, properties.getSoft());
        if (properties.isDeleteIdleLockFiles() && isSoft(type)) {
            throw new InvalidFileLockPropertyException("filelock.delete-idle-lock-files", true, "'" + type.id()
                    + "' locks (" + typeProperty(properties, type) + ") delete their markers at every release"
                    + " already, and a strict-soft sentinel must stay", "Remove filelock.delete-idle-lock-files, or"
                    + " give the names that need it a kernel type (flock).", null);
        }
        builder.deleteIdleLockFiles(properties.isDeleteIdleLockFiles());
        builder.syncFencingTokens(properties.getFencing().isFsync());
        builder.trustSharedDirectory(properties.isTrustSharedDirectory());
        builder.allowFileChannelFallback(properties.isAllowFileChannelFallback());
        try {
            return builder.build();
        } catch (UnsupportedOperationException e) {
            if (isSoft(type)) {
                throw new InvalidFileLockPropertyException(typeProperty(properties, type), type.id(), e.getMessage(),
                        "Soft locks need Linux on x86_64 or aarch64 and JNA; use flock or file-channel here.", e);
            }
            throw new InvalidFileLockPropertyException("filelock.allow-file-channel-fallback",
                    properties.isAllowFileChannelFallback(), e.getMessage(), "Make native flock available (JNA on the"
                            + " classpath, a supported architecture), or set filelock.allow-file-channel-fallback=true"
                            + " if no flock(1) or Python filelock process shares these lock files.", e);
        } catch (IllegalArgumentException e) {
            throw new InvalidFileLockPropertyException("filelock.soft.lease", properties.getSoft().getLease(),
                    e.getMessage(), "Set filelock.soft.lease to more than twice filelock.soft.heartbeat.", e);
        } catch (MixedLockTypesException e) {
            throw mixed(e, properties, type);
        } catch (UntrustedLockDirectoryException e) {
            throw untrusted(e, dir, dirIsDefault);
        } catch (FileLockException e) {
            String origin = dirIsDefault ? " (the default, since filelock.dir is not set)" : "";
            throw new InvalidFileLockPropertyException("filelock.dir", dir + origin, e.getMessage(),
                    "Set filelock.dir to a directory that this process can create and write to, on a local file"
                            + " system; every instance that must exclude the others needs the same directory.", e);
        }
    }

    /**
     * SOFT and FILE_CHANNEL on one directory (all the registries share filelock.dir): names the property that asked
     * for the registry refused, and the fix.
     */
    private static InvalidFileLockPropertyException mixed(MixedLockTypesException e, FileLockProperties properties,
            LockType type) {
        String property;
        Object value;
        // this registry's own type was refused (a soft type, or file-channel), not a fallback to file-channel
        if (e.requested() != LockType.FILE_CHANNEL || type == LockType.FILE_CHANNEL) {
            property = typeProperty(properties, type);
            value = type.id();
        } else {
            property = "filelock.allow-file-channel-fallback";
            value = properties.isAllowFileChannelFallback();
        }
        LockType soft = e.inUse() == LockType.FILE_CHANNEL ? e.requested() : e.inUse();
        String action = "Use flock for the kernel-locked names: replace file-channel with flock (flock(2) is the"
                + " default on Linux and macOS; where native flock is unavailable, make it available rather than"
                + " rely on filelock.allow-file-channel-fallback). Or keep the soft-typed names out of filelock.dir ("
                + e.directory() + "), which every filelock registry of this application uses: remove their"
                + " filelock.locks.<name>.type=" + soft.id() + " and lock them through a " + soft
                + " FileLockRegistry on a directory of their own.";
        return new InvalidFileLockPropertyException(property, value, e.getMessage(), action, e);
    }

    /** The bounds every registry takes, whatever its type: open slots and blocking wait threads. */
    static void bounds(FileLockRegistry.Builder builder, FileLockProperties properties) {
        try {
            builder.maxOpenFiles(properties.getMaxOpenFiles());
        } catch (IllegalArgumentException e) {
            throw new InvalidFileLockPropertyException("filelock.max-open-files", properties.getMaxOpenFiles(),
                    e.getMessage(), "Set filelock.max-open-files to 1 or more (default 256).", e);
        }
        if (properties.getMaxWaitThreads() != null) {
            try {
                builder.maxWaitThreads(properties.getMaxWaitThreads());
            } catch (IllegalArgumentException e) {
                throw new InvalidFileLockPropertyException("filelock.max-wait-threads", properties.getMaxWaitThreads(),
                        e.getMessage(), "Set filelock.max-wait-threads to 1 or more, or leave it unset for"
                                + " max(16, 4 x cores).", e);
            }
        }
    }

    /** The names whose holding thread is interrupted on loss: filelock.locks.<name>.interrupt-on-loss=true. */
    private static void interruptOnLoss(FileLockRegistry.Builder builder, FileLockProperties properties) {
        List<String> names = properties.getLocks().entrySet().stream().filter(lock -> lock.getValue()
                .isInterruptOnLoss()).map(Map.Entry::getKey).toList();
        if (!names.isEmpty()) {
            builder.interruptOnLoss(names);
        }
    }

    /** The property that asked for {@code type}: filelock.type, or the first filelock.locks.<name>.type naming it. */
    static String typeProperty(FileLockProperties properties, LockType type) {
        return properties.getType() == type ? "filelock.type"
                : properties.getLocks().entrySet().stream().filter(lock -> lock.getValue().getType() == type)
                        .map(lock -> "filelock.locks." + lock.getKey() + ".type").findFirst().orElse("filelock.type");
    }

    /**
     * The default can only be replaced; a configured directory can be fixed, or (a mount without permissions) trusted.
     */
    private static InvalidFileLockPropertyException untrusted(UntrustedLockDirectoryException e, Path dir,
            boolean dirIsDefault) {
        String value = dirIsDefault ? dir + " (the default, since filelock.dir is not set)" : dir.toString();
        String problem = "lock directory " + e.directory() + " is not trusted: " + e.problem() + ". Whoever controls it"
                + " can hold, delete or replace its lock files and forge soft markers.";
        String action = dirIsDefault
                ? "Set filelock.dir to a directory that only this service's user (or its group) can write, such as"
                        + " /var/lib/<app>/locks, the same for every instance. " + e.remedy()
                : e.remedy() + " On a mount whose permissions mean nothing (CIFS with dir_mode=0777, some FUSE file"
                        + " systems, NFS with squashed owners), set filelock.trust-shared-directory=true instead:"
                        + " anyone"
                        + " who can write the directory can then hold, break or forge its locks.";
        return new InvalidFileLockPropertyException("filelock.dir", value, problem, action, e);
    }

    private static void softTiming(FileLockRegistry.Builder builder, FileLockProperties.Soft soft) {
        try {
            builder.softHeartbeat(soft.getHeartbeat());
        } catch (IllegalArgumentException e) {
            throw new InvalidFileLockPropertyException("filelock.soft.heartbeat", soft.getHeartbeat(), e.getMessage(),
                    "Set filelock.soft.heartbeat to a positive duration such as 10s.", e);
        }
        try {
            builder.softLease(soft.getLease());
        } catch (IllegalArgumentException e) {
            throw new InvalidFileLockPropertyException("filelock.soft.lease", soft.getLease(), e.getMessage(),
                    "Set filelock.soft.lease to a positive duration, more than twice filelock.soft.heartbeat.", e);
        }
        try {
            builder.softStaleThreshold(soft.getStaleThreshold());
        } catch (IllegalArgumentException e) {
            throw new InvalidFileLockPropertyException("filelock.soft.stale-threshold", soft.getStaleThreshold(),
                    e.getMessage(), "Set filelock.soft.stale-threshold to a positive duration such as 90s.", e);
        }
        if (soft.getStaleThreshold().compareTo(soft.getHeartbeat()) <= 0) {
            throw new InvalidFileLockPropertyException("filelock.soft.stale-threshold", soft.getStaleThreshold(),
                    "The soft-rw stale threshold must exceed filelock.soft.heartbeat (" + soft.getHeartbeat()
                            + "), or markers of live holders get evicted.",
                    "Raise filelock.soft.stale-threshold (Python SoftReadWriteLock's default is 90s) or lower"
                            + " filelock.soft.heartbeat.", null);
        }
        try {
            builder.softPollInterval(soft.getPollInterval());
        } catch (IllegalArgumentException e) {
            throw new InvalidFileLockPropertyException("filelock.soft.poll-interval", soft.getPollInterval(),
                    e.getMessage(), "Set filelock.soft.poll-interval to a positive duration such as 25ms.", e);
        }
    }

    // The marker-file types; AUTO may become soft too, but only after the directory's probe at build().
    private static boolean isSoft(LockType type) {
        return type == LockType.SOFT || type == LockType.SOFT_LEASE || type == LockType.STRICT_SOFT
                || type == LockType.SOFT_RW;
    }
}
