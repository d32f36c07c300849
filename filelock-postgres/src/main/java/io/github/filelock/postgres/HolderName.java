package io.github.filelock.postgres;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code application_name} of a lock session, which names the holder to every other session that reads
 * {@code pg_stat_activity}: {@code filelock pid=4242 host=web-1}. PostgreSQL keeps 63 bytes of it, so a long host
 * name is cut, on a character boundary.
 */
record HolderName(long pid, String host) {

    static final String PREFIX = "filelock pid=";
    private static final int MAX_BYTES = 63;
    private static final Pattern FORM = Pattern.compile("filelock pid=(\\d+) host=(.*)");

    String applicationName() {
        String full = PREFIX + pid + " host=" + host;
        byte[] utf8 = full.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= MAX_BYTES) {
            return full;
        }
        StringBuilder cut = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < full.length(); ) {
            int cp = full.codePointAt(i);
            int size = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + size > MAX_BYTES) {
                break;
            }
            cut.appendCodePoint(cp);
            bytes += size;
            i += Character.charCount(cp);
        }
        return cut.toString();
    }

    /** The holder an application_name names, when it is one of ours. */
    static Optional<HolderName> parse(String applicationName) {
        if (applicationName == null) {
            return Optional.empty();
        }
        Matcher m = FORM.matcher(applicationName);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new HolderName(Long.parseLong(m.group(1)), m.group(2)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
