package io.github.filelock.spring.metrics;

import io.github.filelock.spring.listener.FileLockListener;
import io.github.filelock.spring.listener.FileLockRequest;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.System.Logger.Level;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Records {@code filelock.wait}, {@code filelock.hold}, {@code filelock.held} and {@code filelock.waiting},
 * tagged with the annotation's {@code name} only: a per-document key ({@code doc:42}) never becomes a tag
 * value. Names come from annotations, so they are few; a cap still guards against a name built from a
 * placeholder per deployment gone wrong, folding any beyond it into {@value #OVERFLOW}.
 */
public final class FileLockMetrics implements FileLockListener {

    static final String OVERFLOW = "other";

    private static final System.Logger LOG = System.getLogger("io.github.filelock");

    private final MeterRegistry registry;
    private final int maxNames;
    private final ConcurrentMap<String, LockNameMeters> byName = new ConcurrentHashMap<>();

    public FileLockMetrics(MeterRegistry registry, int maxNames) {
        this.registry = registry;
        this.maxNames = maxNames;
    }

    @Override
    public Call onRequest(FileLockRequest request) {
        LockNameMeters meters = byName.get(request.name());
        if (meters == null) {
            meters = metersFor(request.name());
        }
        return meters.request();
    }

    private LockNameMeters metersFor(String name) {
        if (byName.size() >= maxNames) {
            LockNameMeters overflow = byName.computeIfAbsent(OVERFLOW, n -> {
                LOG.log(Level.WARNING, "More than " + maxNames + " @FileLocked names; metrics of further names"
                        + " (first: '" + name + "') are tagged name=" + OVERFLOW);
                return new LockNameMeters(registry, n);
            });
            return byName.getOrDefault(name, overflow);
        }
        return byName.computeIfAbsent(name, n -> new LockNameMeters(registry, n));
    }
}
