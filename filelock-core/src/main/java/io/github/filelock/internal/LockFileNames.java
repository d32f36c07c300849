package io.github.filelock.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps any lock name to one file name inside the lock directory, safely and injectively.
 *
 * <ul>
 *   <li>A plain name (1-64 characters of {@code [a-z0-9._-]}, starting with a letter or digit, and not a
 *       Windows device name) stays readable: {@code embeddings} becomes {@code embeddings.lock}.</li>
 *   <li>Every other name becomes a readable prefix, {@code ~}, and 160 bits of SHA-256 of the name's UTF-16
 *       code units in lower-case base32: {@code Doc:42} becomes {@code doc_42~<32 chars>.lock}.</li>
 * </ul>
 * Plain file names never contain {@code ~}, so the two forms never collide. Hashed names are distinct
 * unless SHA-256 collides. Only lower-case ASCII is ever produced, so names that differ in case stay
 * distinct on case-insensitive file systems, and no separator, dot-dot, NUL or control character can
 * reach the file system. The hash reads UTF-16 code units rather than encoded bytes, because encoding
 * replaces unpaired surrogates and would map two names to the same bytes.
 */
public final class LockFileNames {

    static final String SUFFIX = ".lock";
    private static final int MAX_PLAIN = 64;
    private static final int MAX_PREFIX = 40;
    private static final int HASH_BYTES = 20;
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final Set<String> WINDOWS_DEVICES = Set.of("con", "prn", "aux", "nul", "com1", "com2", "com3",
            "com4", "com5", "com6", "com7", "com8", "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7",
            "lpt8", "lpt9");

    private LockFileNames() {
    }

    // Hot names are mapped again on every acquire; hashing a keyed name costs more than the flock itself.
    private static final int CACHE_LIMIT = 4096;
    private static final ConcurrentHashMap<String, String> CACHE = new ConcurrentHashMap<>();

    public static String fileName(String lockName) {
        Objects.requireNonNull(lockName, "lock name must not be null");
        String cached = CACHE.get(lockName);
        if (cached != null) {
            return cached;
        }
        String fileName = map(lockName);
        if (lockName.length() <= 256) {
            if (CACHE.size() >= CACHE_LIMIT) {
                CACHE.clear(); // crude but bounded: a service with millions of names only loses the cache
            }
            CACHE.put(lockName, fileName);
        }
        return fileName;
    }

    private static String map(String lockName) {
        if (isPlain(lockName)) {
            return lockName + SUFFIX;
        }
        return readablePrefix(lockName) + "~" + hash(lockName) + SUFFIX;
    }

    static boolean isPlain(String name) {
        int n = name.length();
        if (n == 0 || n > MAX_PLAIN || !isLetterOrDigit(name.charAt(0))) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = name.charAt(i);
            if (!isLetterOrDigit(c) && c != '.' && c != '_' && c != '-') {
                return false;
            }
        }
        int dot = name.indexOf('.');
        return !WINDOWS_DEVICES.contains(dot < 0 ? name : name.substring(0, dot));
    }

    private static boolean isLetterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    private static String readablePrefix(String name) {
        StringBuilder prefix = new StringBuilder(MAX_PREFIX);
        String lower = name.toLowerCase(Locale.ROOT);
        for (int i = 0; i < lower.length() && prefix.length() < MAX_PREFIX; i++) {
            char c = lower.charAt(i);
            boolean keep = isLetterOrDigit(c) || c == '-' || c == '_' || (c == '.' && prefix.length() > 0);
            prefix.append(keep ? c : '_');
        }
        return prefix.toString();
    }

    private static String hash(String name) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
        byte[] units = new byte[name.length() * 2];
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            units[2 * i] = (byte) (c >> 8);
            units[2 * i + 1] = (byte) c;
        }
        return base32(sha256.digest(units), HASH_BYTES);
    }

    private static String base32(byte[] bytes, int length) {
        StringBuilder out = new StringBuilder(length * 8 / 5 + 1);
        int buffer = 0;
        int bits = 0;
        for (int i = 0; i < length; i++) {
            buffer = (buffer << 8) | (bytes[i] & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(BASE32[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(BASE32[(buffer << (5 - bits)) & 31]);
        }
        return out.toString();
    }
}
