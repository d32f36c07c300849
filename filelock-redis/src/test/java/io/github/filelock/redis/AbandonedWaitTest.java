package io.github.filelock.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.FileLockTimeoutException;
import io.github.filelock.LockMode;
import io.github.filelock.spi.LockSlot;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.redisson.api.RTopic;
import org.redisson.client.codec.StringCodec;

/**
 * A wait that timed out must stop. Redisson's {@code lockAsync} ignores the cancel of its future: the wait stays
 * subscribed, takes the lock at a later release only to let it go again, and each such grant steals a turn from the
 * real waiters and sends one more release message. A caller that times out every second against a long hold would
 * pile up one such wait per try.
 */
class AbandonedWaitTest {

    @Test
    void waitsThatTimedOutNeverTakeTheLockLater() throws Exception {
        String name = "abandoned-waits";
        try (RedisLockBackend holderSide = TestServer.backend(Duration.ofSeconds(10));
             LockSlot holder = holderSide.openSlot(name, () -> { });
             FileLockRegistry registry = FileLockRegistry.builder(TestServer.backend(Duration.ofSeconds(10))).build();
             TestServer.Observer observer = TestServer.observer()) {
            RedisKeys keys = RedisKeys.of(TestServer.PREFIX, name);
            AtomicInteger releases = new AtomicInteger();
            RTopic channel = observer.client().getTopic(keys.channel(), StringCodec.INSTANCE);
            int listener = channel.addListener(String.class, (c, message) -> releases.incrementAndGet());
            try {
                assertThat(holder.tryLock(LockMode.EXCLUSIVE)).isTrue();
                for (int i = 0; i < 5; i++) {
                    assertThatThrownBy(() -> registry.acquire(name, Duration.ofMillis(50)))
                            .isInstanceOf(FileLockTimeoutException.class);
                }
                holder.unlock();
                // Wait for the lock to stay free, then for any late grant's release message to come in
                long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (releases.get() == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                Thread.sleep(1_000);
                assertThat(releases).as("only the holder's release: no abandoned wait took the lock").hasValue(1);
                try (FileLockHold hold = registry.acquire(name, Duration.ofSeconds(5))) {
                    assertThat(hold.isValid()).isTrue();
                }
            } finally {
                channel.removeListener(listener);
            }
        }
    }
}
