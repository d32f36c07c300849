package io.github.filelock.spring.actuate;

import io.github.filelock.FileLockException;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockHolder;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * The operator break behind {@code DELETE /actuator/locks/{name}}: asks the name's registry to break it, naming the
 * requester for the audit WARN, and turns each outcome into a status with a body that says what happened.
 */
public final class LockBreaks {

    private LockBreaks() {
    }

    /** A broken claim: who held it, as recorded, and who asked. */
    public record Broken(String name, String type, String file, LockReports.Holder holder, String requestedBy) {
    }

    /** Nothing done, and why. */
    public record Refused(String name, String type, String reason) {
    }

    static WebEndpointResponse<?> breakLock(FileLockRegistry registry, String where, String name,
            @Nullable SecurityContext security) {
        String requestedBy = requester(security);
        String type = registry.type().id();
        Optional<LockHolder> held;
        try {
            held = registry.breakLock(name, requestedBy);
        } catch (UnsupportedOperationException e) {
            return refused(WebEndpointResponse.STATUS_BAD_REQUEST, name, type, e);
        } catch (IllegalStateException e) {
            return refused(409, name, type, e);
        } catch (FileLockException e) {
            return refused(WebEndpointResponse.STATUS_INTERNAL_SERVER_ERROR, name, type, e);
        }
        if (held.isEmpty()) {
            return new WebEndpointResponse<>(new Refused(name, type, "Nothing to break: no claim on '" + name
                    + "' at " + where + "."), WebEndpointResponse.STATUS_NOT_FOUND);
        }
        LockHolder holder = held.get();
        return new WebEndpointResponse<>(new Broken(name, type, where, new LockReports.Holder(holder.pid(),
                holder.host(), holder.thread().orElse(null), holder.acquiredAt().toString()), requestedBy));
    }

    static WebEndpointResponse<Refused> notGranted(FileLockRegistry registry, String name) {
        return new WebEndpointResponse<>(new Refused(name, registry.type().id(), "The operator break is not granted"
                + " here: set " + FileLocksEndpoint.GRANT + "=unrestricted to grant it, and secure it (README,"
                + " \"Operator break\"). Settings that open every endpoint do not grant it."), 403);
    }

    private static WebEndpointResponse<Refused> refused(int status, String name, String type, RuntimeException e) {
        return new WebEndpointResponse<>(new Refused(name, type, String.valueOf(e.getMessage())), status);
    }

    // The principal when Spring Security (or the container) authenticated the request; else say it was anonymous.
    private static String requester(@Nullable SecurityContext security) {
        if (security == null || security.getPrincipal() == null) {
            return "an unauthenticated request to /actuator/locks";
        }
        return "principal '" + security.getPrincipal().getName() + "' through /actuator/locks";
    }
}
