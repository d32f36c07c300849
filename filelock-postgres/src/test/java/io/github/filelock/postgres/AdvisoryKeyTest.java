package io.github.filelock.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The key is a protocol: Java, the documented SQL expression (on the server) and Python must agree. */
class AdvisoryKeyTest {

    private static final List<String> NAMES = List.of("embeddings", "doc:42", "", "a/b", "billing/report",
            "Grüße", "日本語のロック", "emoji 🔒 lock", "tab\tand space", "x".repeat(300));

    @Test
    void javaMatchesTheSqlExpressionOnTheServer() throws Exception {
        try (Connection c = TestServer.connect();
             PreparedStatement st = c.prepareStatement("SELECT " + String.format(AdvisoryKey.SQL, "?"))) {
            for (String name : NAMES) {
                st.setString(1, name);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("SQL key of '%s'", name)
                            .isEqualTo(AdvisoryKey.of("", name).value());
                }
            }
        }
    }

    @Test
    void javaMatchesPython() throws Exception {
        String script = "import hashlib, sys\n"
                + "for line in sys.stdin.buffer.read().decode('utf-8').split('\\0')[:-1]:\n"
                + "    print(int.from_bytes(hashlib.sha256(line.encode()).digest()[:8], 'big', signed=True))\n";
        Process python = new ProcessBuilder("python3", "-c", script).redirectErrorStream(true).start();
        StringBuilder input = new StringBuilder();
        for (String name : NAMES) {
            input.append(name).append('\0');
        }
        python.getOutputStream().write(input.toString().getBytes(StandardCharsets.UTF_8));
        python.getOutputStream().close();
        String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(python.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(python.exitValue()).as(out).isZero();
        List<Long> expected = new ArrayList<>();
        for (String name : NAMES) {
            expected.add(AdvisoryKey.of("", name).value());
        }
        assertThat(out.lines().map(Long::parseLong).toList()).isEqualTo(expected);
    }

    @Test
    void aNamespaceIsHashedInFrontOfTheKey() {
        assertThat(AdvisoryKey.of("billing", "report")).isEqualTo(AdvisoryKey.of("", "billing/report"));
        assertThat(AdvisoryKey.of("billing", "report").value()).isNotEqualTo(AdvisoryKey.of("", "report").value());
    }

    @Test
    void knownValueStaysFixed() {
        // sha256("embeddings") starts with these 8 bytes; a change here breaks every other tool's locks
        assertThat(AdvisoryKey.of("", "embeddings").value()).isEqualTo(
                new java.math.BigInteger(sha256Hex("embeddings").substring(0, 16), 16).longValue());
    }

    @Test
    void classidAndObjidSplitTheKeyAsPgLocksShowsIt() throws Exception {
        AdvisoryKey key = AdvisoryKey.of("", "Grüße"); // negative, so the sign bit must land in classid
        assertThat(key.value()).isNegative();
        try (Connection c = TestServer.connect();
             PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_lock(?)");
             PreparedStatement read = c.prepareStatement("SELECT classid::bigint, objid::bigint, objsubid"
                     + " FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()")) {
            lock.setLong(1, key.value());
            lock.execute();
            try (ResultSet rs = read.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(key.classid());
                assertThat(rs.getLong(2)).isEqualTo(key.objid());
                assertThat(rs.getInt(3)).isEqualTo(1);
            }
        }
    }

    private static String sha256Hex(String s) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
