package io.github.filelock.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.test.ChildJvm;
import io.github.filelock.test.internal.BlackHoleProxy;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A holder cut off from the server by a black hole declares its hold lost within its bound (2 x keepalive), before
 * the earliest moment the server may end its session (3 x keepalive), so the lock is never granted elsewhere while
 * the holder still believes it holds it.
 */
class PartitionTest {

    private static final int KEEPALIVE = 1;

    @Test
    void theHolderDeclaresTheLossBeforeTheServerGrantsTheLockElsewhere() throws Exception {
        LossBounds bounds = LossBounds.of(Duration.ofSeconds(KEEPALIVE));
        AdvisoryKey key = AdvisoryKey.of(TestServer.NAMESPACE, "partition");
        URI server = URI.create(TestServer.settings().build().url().substring("jdbc:".length()));
        try (BlackHoleProxy proxy = new BlackHoleProxy(server.getHost(),
                     server.getPort() > 0 ? server.getPort() : 5432);
             ServerView view = new ServerView();
             ChildJvm holder = ChildJvm.start(LockChild.class, throughProxy(proxy, "key=partition",
                     "keepalive=" + KEEPALIVE));
             ChildJvm waiter = ChildJvm.start(LockChild.class, ChildSettings.args("key=partition",
                     "keepalive=" + KEEPALIVE))) {
            holder.awaitLine(Duration.ofSeconds(60), "READY");
            holder.send("lock EXCLUSIVE");
            holder.awaitLine(Duration.ofSeconds(30), "GRANTED");
            List<Integer> holderSession = view.granted(key);
            assertThat(holderSession).hasSize(1);
            waiter.awaitLine(Duration.ofSeconds(60), "READY");
            waiter.send("lock EXCLUSIVE");
            ServerView.await("the waiter queues", Duration.ofSeconds(30), () -> view.waiting(key).size() == 1);

            long blackHoleAt = System.currentTimeMillis();
            proxy.blackHole();
            long lostAt = stamp(holder.awaitLine(Duration.ofSeconds(30), "LOST"));
            // The server has not let go: the holder's session still holds the lock, the waiter still waits.
            assertThat(view.granted(key)).isEqualTo(holderSession);
            assertThat(view.waiting(key)).hasSize(1);

            // The server's keepalive ends a silent session no sooner than serverFreesAfter; stand in for it.
            long serverGivesUpAt = blackHoleAt + bounds.serverFreesAfter().toMillis();
            Thread.sleep(Math.max(0, serverGivesUpAt - System.currentTimeMillis()));
            proxy.cutServerSide();
            long grantedAt = stamp(waiter.awaitLine(Duration.ofSeconds(30), "GRANTED"));

            assertThat(lostAt - blackHoleAt).as("holder declared the loss after the black hole, in ms")
                    .isLessThanOrEqualTo(bounds.holderDeclaresWithin().toMillis() + 500);
            assertThat(lostAt).as("the loss is declared before the server could free the lock")
                    .isLessThan(serverGivesUpAt);
            assertThat(grantedAt).as("the waiter is granted after the holder declared the loss")
                    .isGreaterThan(lostAt);
        }
    }

    private static Object[] throughProxy(BlackHoleProxy proxy, String... extra) {
        List<Object> args = new ArrayList<>();
        for (Object arg : ChildSettings.args(extra)) {
            String s = arg.toString();
            if (s.startsWith("url=")) {
                s = s.replaceFirst("//[^/]+/", "//127.0.0.1:" + proxy.port() + "/");
            }
            args.add(s);
        }
        return args.toArray();
    }

    private static long stamp(String line) {
        return Long.parseLong(line.substring(line.indexOf(' ') + 1).trim());
    }
}
