package io.github.filelock.internal.soft.rw;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.internal.ProcessIdentity;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The marker and state-lock formats, read as Python 3.32's SoftReadWriteLock and SoftFileLock read them. */
class RwMarkerTest {

    static final String TOKEN = "0123456789abcdef0123456789abcdef";

    @Test
    void aMarkerIsTokenPidAndHost() {
        RwMarker marker = new RwMarker(TOKEN, 42, "node-7");
        assertThat(new String(marker.format(), StandardCharsets.US_ASCII)).isEqualTo(TOKEN + "\n42\nnode-7\n");
        assertThat(RwMarker.parse(marker.format())).contains(marker);
        assertThat(RwMarker.parse(bytes(TOKEN + "\n42\nnode-7\n\n\n"))).as("extra newlines").contains(marker);
        assertThat(RwMarker.newToken()).matches("[0-9a-f]{32}").isNotEqualTo(RwMarker.newToken());
    }

    @Test
    void anythingElseIsMalformed() {
        assertThat(RwMarker.parse(bytes(""))).isEmpty();
        assertThat(RwMarker.parse(bytes(TOKEN.toUpperCase() + "\n42\nnode\n"))).as("upper-case token").isEmpty();
        assertThat(RwMarker.parse(bytes(TOKEN + "\n042\nnode\n"))).as("leading zero").isEmpty();
        assertThat(RwMarker.parse(bytes(TOKEN + "\n0\nnode\n"))).as("pid 0").isEmpty();
        assertThat(RwMarker.parse(bytes(TOKEN + "\n2147483648\nnode\n"))).as("pid over 2^31-1").isEmpty();
        assertThat(RwMarker.parse(bytes(TOKEN + "\n42\nno de\n"))).as("space in host").isEmpty();
        assertThat(RwMarker.parse(bytes(TOKEN + "\n42\n"))).as("no host").isEmpty();
        assertThat(RwMarker.parse(bytes(TOKEN + "\n42\n" + "h".repeat(254) + "\n"))).as("host too long").isEmpty();
        assertThat(RwMarker.parse(bytes("42\nnode\n"))).as("a SoftFileLock marker").isEmpty();
    }

    @Test
    void theStateLockIsBrokenOnlyOnProofOrWhenMalformedAndOld() {
        Instant now = Instant.now();
        Instant old = now.minusSeconds(3600);
        assertThat(StateLock.staleReason(bytes(StateLock.STRICT_SENTINEL), old, now)).as("strict sentinel").isEmpty();
        assertThat(StateLock.staleReason(bytes("1\nnode-on-another-host\n"), old, now)).as("another host, old")
                .isEmpty();
        assertThat(StateLock.staleReason(bytes(ProcessIdentity.PID + "\n" + ProcessIdentity.HOST + "\n"), old, now))
                .as("this live process").isEmpty();
        assertThat(StateLock.staleReason(bytes("garbage"), now.minusMillis(500), now)).as("torn, fresh").isEmpty();
        assertThat(StateLock.staleReason(bytes("garbage"), now.minusSeconds(2), now)).as("torn, 2 s old").isPresent();
        assertThat(StateLock.staleReason(bytes(""), now.minusSeconds(3), now)).as("empty, old").isPresent();
    }

    @Test
    void stateHoldersParseAsPythonsParseLockHolder() {
        assertThat(StateLock.Holder.parse(bytes("12\nhost\n"))).get()
                .satisfies(h -> assertThat(h.startToken()).isEmpty());
        assertThat(StateLock.Holder.parse(bytes("12\nhost\n99\n"))).get()
                .satisfies(h -> assertThat(h.startToken()).get().hasToString("99"));
        assertThat(StateLock.Holder.parse(bytes("12\n"))).as("one line").isEmpty();
        assertThat(StateLock.Holder.parse(bytes("12\nhost\n99\nx\n"))).as("four lines").isEmpty();
        assertThat(StateLock.Holder.parse(bytes("-1\nhost\n"))).as("pid -1").isEmpty();
        assertThat(StateLock.Holder.parse(bytes("12\nhost\nabc\n"))).as("token not a number").isEmpty();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
