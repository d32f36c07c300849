package io.github.filelock.internal.soft;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.crossprocess.ChildProcess;
import io.github.filelock.crossprocess.ChildProcesses;
import io.github.filelock.crossprocess.PythonFilelock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Java reads every marker as the real Python filelock's {@code _parse_lock_holder} reads it: the same holder, or no
 * holder for both. A disagreement would let one side break what the other calls a live holder.
 */
class MarkerParsingAgainstPythonTest {

    static final String SCRIPT = """
            import sys
            from filelock._soft import _parse_lock_holder, _read_lock_file
            for path in sys.argv[1:]:
                holder = _parse_lock_holder(_read_lock_file(path)[0])
                if holder is None:
                    print("NONE", flush=True)
                else:
                    pid, host, token = holder
                    print(f"{pid} {host.encode().hex()} {'-' if token is None else token}", flush=True)
            print("END", flush=True)
            """;

    static final List<String> CONTENTS = List.of("", "\n", "42\nhost\n", "42\nhost\n7\n", "42\nhost", "42\nhost\n7",
            " 42 \n host \n 7 \n", "+42\nhost\n", "-42\nhost\n", "0\nhost\n", "2147483647\nhost\n",
            "2147483648\nhost\n",
            "4_2\nhost\n", "4__2\nhost\n", "42_\nhost\n", "_42\nhost\n", "42\r\nhost\r\n7\r\n", "42\rhost\r7\r",
            "42\u000bhost\u000c7\n", "42\u2028host\u20297\n", "42\u0085host\n", "\u0662\u0664\nhost\n",
            "42\n\n7\n", "42\nhost\n\n", "\n\n42\nhost\n\n\n", "42\nhost\n7\n8\n", "42\nhost\nx\n", "42\nhost\n-7\n",
            "42\nh\u00f6st\u00a0\n", "\u00a042\nhost\u3000\n", "42\u001chost\n", "42\nhost\t\n", "x\nhost\n",
            "42.0\nhost\n", "1\nfilelock-strict-v1\0\n0\n", "filelock/2\npid=42\nhost=h\nmode=lease\n",
            "42\nhost/pidns:4026532178\n1\n", "42\n" + "h".repeat(1100) + "\n", "42\n" + "h".repeat(1010) + "\n");

    @RegisterExtension
    final ChildProcesses children = new ChildProcesses();

    @TempDir
    Path dir;

    @Test
    void javaAndPythonFindTheSameHolderInEveryMarker() throws Exception {
        PythonFilelock python = PythonFilelock.require();
        List<byte[]> contents = new ArrayList<>();
        CONTENTS.forEach(c -> contents.add(c.getBytes(StandardCharsets.UTF_8)));
        contents.add(new byte[] {'4', '2', '\n', (byte) 0xff, '\n'}); // not UTF-8
        contents.add(new byte[] {'4', '2', '\n', (byte) 0xc3, (byte) 0xa9, '\n'}); // UTF-8 e-acute
        List<Object> paths = new ArrayList<>();
        for (int i = 0; i < contents.size(); i++) {
            paths.add(Files.write(dir.resolve("marker-" + i), contents.get(i)));
        }
        ChildProcess py = python.start(children, SCRIPT, paths.toArray());
        py.awaitLine("END", Duration.ofSeconds(60));
        List<String> answers = py.transcript().subList(0, contents.size());
        for (int i = 0; i < contents.size(); i++) {
            assertThat(java(contents.get(i))).as("marker %s", HexFormat.of().formatHex(contents.get(i)))
                    .isEqualTo(answers.get(i));
        }
    }

    private static String java(byte[] content) {
        return MarkerOwner.parse(content).map(o -> o.pid() + " "
                + HexFormat.of().formatHex(o.host().getBytes(StandardCharsets.UTF_8)) + " "
                + o.startToken().map(Object::toString).orElse("-")).orElse("NONE");
    }
}
