package io.github.filelock.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The gate's queue on its own: arrival order, a writer holding back the readers behind it, readers let in together,
 * and tickets given up anywhere in the queue. Async tickets, so each grant is a future that can be looked at.
 */
class GateTest {

    private static final int WRITER = Gate.ALL_PERMITS;
    private static final int READER = 1;

    private final Gate gate = new Gate();

    @Test
    void aQueuedTicketKeepsOutANewcomerAndTicketsAreGrantedInArrivalOrder() {
        assertThat(gate.tryEnter(WRITER)).isTrue();
        Gate.Ticket first = gate.enqueue(WRITER);
        Gate.Ticket second = gate.enqueue(WRITER);
        gate.release(WRITER);
        assertThat(granted(first, second)).containsExactly(true, false);
        assertThat(gate.tryEnter(READER)).as("never past a queued writer").isFalse();
        gate.release(WRITER);
        assertThat(granted(first, second)).containsExactly(true, true);
        gate.release(WRITER);
        assertThat(gate.idle()).isTrue();
        assertThat(gate.tryEnter(READER)).isTrue();
    }

    @Test
    void aQueuedWriterHoldsBackLaterReadersThatAreThenLetInTogether() {
        assertThat(gate.tryEnter(READER)).isTrue();
        Gate.Ticket writer = gate.enqueue(WRITER);
        Gate.Ticket reader1 = gate.enqueue(READER);
        Gate.Ticket reader2 = gate.enqueue(READER);
        Gate.Ticket lastWriter = gate.enqueue(WRITER);
        assertThat(gate.writerQueuedFirst()).isTrue();
        assertThat(granted(writer, reader1, reader2, lastWriter)).containsExactly(false, false, false, false);
        gate.release(READER);
        assertThat(granted(writer, reader1, reader2, lastWriter)).containsExactly(true, false, false, false);
        assertThat(gate.writerQueuedFirst()).as("a reader is first now").isFalse();
        gate.release(WRITER);
        assertThat(granted(reader1, reader2, lastWriter)).containsExactly(true, true, false);
        gate.release(READER);
        assertThat(lastWriter.granted).isNotDone();
        gate.release(READER);
        assertThat(lastWriter.granted).isDone();
    }

    @Test
    void ticketsGivenUpAtTheHeadInTheMiddleAndAtTheTailLeaveTheOthersInOrder() {
        assertThat(gate.tryEnter(WRITER)).isTrue();
        List<Gate.Ticket> tickets = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            tickets.add(gate.enqueue(WRITER));
        }
        assertThat(gate.abandon(tickets.get(2))).as("not granted").isFalse();
        assertThat(gate.abandon(tickets.get(0))).isFalse();
        assertThat(gate.abandon(tickets.get(4))).isFalse();
        gate.release(WRITER);
        assertThat(granted(tickets.get(1), tickets.get(3))).containsExactly(true, false);
        gate.release(WRITER);
        assertThat(granted(tickets.get(1), tickets.get(3))).containsExactly(true, true);
        gate.release(WRITER);
        assertThat(gate.idle()).isTrue();
        assertThat(gate.writerQueuedFirst()).isFalse();
        assertThat(gate.tryEnter(WRITER)).as("the queue is empty again").isTrue();
    }

    @Test
    void aTicketQueuedAfterTheQueueEmptiedIsGranted() {
        assertThat(gate.tryEnter(WRITER)).isTrue();
        Gate.Ticket onlyOne = gate.enqueue(WRITER);
        assertThat(gate.abandon(onlyOne)).as("the head and tail given up").isFalse();
        Gate.Ticket afterAGiveUp = gate.enqueue(WRITER);
        gate.release(WRITER);
        assertThat(afterAGiveUp.granted).as("queued after the queue emptied by a give-up").isDone();
        Gate.Ticket afterAGrant = gate.enqueue(WRITER);
        gate.release(WRITER);
        assertThat(afterAGrant.granted).as("queued after the queue emptied by a grant").isDone();
        gate.release(WRITER);
        assertThat(gate.idle()).isTrue();
    }

    @Test
    void aWriterGivingUpTheHeadLetsTheReadersBehindItIn() {
        assertThat(gate.tryEnter(READER)).isTrue();
        Gate.Ticket writer = gate.enqueue(WRITER);
        Gate.Ticket reader = gate.enqueue(READER);
        assertThat(reader.granted).isNotDone();
        assertThat(gate.abandon(writer)).isFalse();
        assertThat(reader.granted).isDone();
        assertThat(writer.granted).isNotDone();
    }

    @Test
    void aTicketGrantedBeforeItIsGivenUpKeepsItsPermits() {
        assertThat(gate.tryEnter(WRITER)).isTrue();
        Gate.Ticket ticket = gate.enqueue(WRITER);
        gate.release(WRITER);
        assertThat(gate.abandon(ticket)).as("granted meanwhile: the caller owns the permits").isTrue();
        assertThat(gate.tryEnter(READER)).isFalse();
        gate.release(WRITER);
        assertThat(gate.tryEnter(READER)).isTrue();
    }

    @Test
    void aThreadsTicketUnparksItsThread() throws Exception {
        assertThat(gate.tryEnter(WRITER)).isTrue();
        CompletableFuture<Gate.Ticket> queued = new CompletableFuture<>();
        CompletableFuture<Boolean> woken = new CompletableFuture<>();
        Thread waiter = new Thread(() -> {
            Gate.Ticket ticket = gate.enqueueThread(WRITER);
            queued.complete(ticket);
            while (!ticket.isGranted()) {
                LockSupport.park(ticket);
            }
            woken.complete(true);
        }, "gate-waiter");
        waiter.start();
        Gate.Ticket ticket = queued.get(10, TimeUnit.SECONDS);
        assertThat(ticket.granted).as("a thread's ticket has no future").isNull();
        gate.release(WRITER);
        assertThat(woken.get(10, TimeUnit.SECONDS)).isTrue();
        waiter.join(10_000);
    }

    private static List<Boolean> granted(Gate.Ticket... tickets) {
        List<Boolean> done = new ArrayList<>();
        for (Gate.Ticket ticket : tickets) {
            done.add(ticket.granted.isDone());
        }
        return done;
    }
}
