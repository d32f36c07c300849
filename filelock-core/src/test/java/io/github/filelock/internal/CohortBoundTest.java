package io.github.filelock.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The cohort hand-off's bound, on given instants: no clock, no threads. */
class CohortBoundTest {

    @Test
    void allowsThirtyTwoHandOffsInARowThenRefusesUntilReset() {
        CohortBound bound = new CohortBound();
        for (int i = 0; i < 32; i++) {
            assertThat(bound.allows(1_000 + i)).as("hand-off %d", i + 1).isTrue();
        }
        assertThat(bound.allows(1_040)).as("the 33rd").isFalse();
        bound.reset();
        assertThat(bound.allows(1_050)).as("a new run after the lock was let go").isTrue();
    }

    @Test
    void refusesAHandOffTwoMillisecondsAfterTheFirstOfTheRun() {
        CohortBound bound = new CohortBound();
        long first = 5_000_000_000L;
        assertThat(bound.allows(first)).isTrue();
        assertThat(bound.allows(first + CohortBound.MAX_NANOS - 1)).as("just inside").isTrue();
        assertThat(bound.allows(first + CohortBound.MAX_NANOS)).as("at the time bound").isFalse();
        bound.reset();
        assertThat(bound.allows(first + CohortBound.MAX_NANOS + 1)).as("the run starts again").isTrue();
    }

    @Test
    void measuresTimeAcrossTheWrapOfNanoTime() {
        CohortBound bound = new CohortBound(32, 100);
        assertThat(bound.allows(Long.MAX_VALUE - 10)).isTrue();
        assertThat(bound.allows(Long.MIN_VALUE + 50)).as("61 ns later, across the wrap").isTrue();
        assertThat(bound.allows(Long.MIN_VALUE + 90)).as("101 ns after the first").isFalse();
    }
}
