package io.github.filelock.benchmarks.contention;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.benchmarks.contention.HandOffGaps.Holding;
import java.util.List;
import org.junit.jupiter.api.Test;

class HandOffGapsTest {

    @Test
    void pairsEachHoldingWithTheOneBeforeItInTheOrderTheLockWasGot() {
        // given out of order, as workers write them thread by thread
        HandOffGaps gaps = HandOffGaps.of(List.of(
                new Holding(200, 250, 1), // after 0's first: 100 ns to another process
                new Holding(0, 100, 0),
                new Holding(260, 300, 1), // 10 ns within process 1
                new Holding(330, 400, 1), // 30 ns within process 1
                new Holding(450, 500, 0))); // 50 ns to another process

        assertThat(gaps.sameProcessCount()).isEqualTo(2);
        assertThat(gaps.sameProcessTotalNanos()).isEqualTo(40);
        assertThat(gaps.sameProcessMedianNanos()).isEqualTo(10);
        assertThat(gaps.otherProcessCount()).isEqualTo(2);
        assertThat(gaps.otherProcessTotalNanos()).isEqualTo(150);
        assertThat(gaps.otherProcessMedianNanos()).isEqualTo(50); // nearest rank, as LatencyStats
        assertThat(gaps.overlaps()).isZero();
        assertThat(gaps.heldTotalNanos()).isEqualTo(100 + 50 + 40 + 70 + 50);
    }

    @Test
    void aHolderThatGotTheLockBeforeThePreviousOneFinishedIsAnOverlap() {
        HandOffGaps gaps = HandOffGaps.of(List.of(new Holding(0, 100, 0), new Holding(90, 150, 1),
                new Holding(160, 200, 1)));

        assertThat(gaps.overlaps()).isEqualTo(1);
    }

    @Test
    void aSingleHoldingHasNoHandOffs() {
        HandOffGaps gaps = HandOffGaps.of(List.of(new Holding(5, 9, 0)));

        assertThat(gaps.sameProcessCount()).isZero();
        assertThat(gaps.otherProcessCount()).isZero();
        assertThat(gaps.sameProcessMedianNanos()).isZero();
        assertThat(gaps.heldTotalNanos()).isEqualTo(4);
    }
}
