package io.github.filelock.postgres;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The 64-bit advisory lock key of a name: the first 8 bytes, big-endian signed, of SHA-256 of the UTF-8 name, where
 * the name is {@code namespace + "/" + key} with a namespace and the key alone without one. Fixed, so that psql, a
 * shell script or Python take the same lock:
 *
 * <pre>
 * SQL:    ('x' || substr(encode(sha256(convert_to(name, 'UTF8')), 'hex'), 1, 16))::bit(64)::bigint
 * Python: int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], 'big', signed=True)
 * </pre>
 *
 * @param name  the hashed name
 * @param value the key that {@code pg_advisory_lock(bigint)} takes
 */
record AdvisoryKey(String name, long value) {

    /** The SQL expression of the key of the text parameter {@code name}; needs PostgreSQL 11 for sha256(). */
    static final String SQL = "('x' || substr(encode(sha256(convert_to(%s, 'UTF8')), 'hex'), 1, 16))::bit(64)::bigint";

    static AdvisoryKey of(String namespace, String key) {
        String name = namespace.isEmpty() ? key : namespace + "/" + key;
        byte[] digest = sha256(name.getBytes(StandardCharsets.UTF_8));
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (digest[i] & 0xff);
        }
        return new AdvisoryKey(name, value);
    }

    /** pg_locks shows a bigint key as classid (high 32 bits) and objid (low 32 bits), both unsigned, objsubid 1. */
    long classid() {
        return value >>> 32;
    }

    long objid() {
        return value & 0xffff_ffffL;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "advisory key " + value + " ('" + name + "')";
    }
}
