package org.multiprocessing4j.cluster.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.Connection;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.Event;
import org.multiprocessing4j.Pipe;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.ProcessGoneException;
import org.multiprocessing4j.tck.PipeKit;

/** The pipe kit on the cluster, and what its peer-to-peer pipes do beyond it. */
class HazelcastPipeTest extends PipeKit {
    private static final int ROUNDS = 300;

    @Override
    protected Context context() {
        return ClusterTests.context();
    }

    static void echoer(Connection c) throws Exception {
        c.poll(); // reading makes this process the home of its end's messages
        System.out.println("echoer ready");
        try {
            while (true) {
                c.send((Integer) c.recv() + 1);
            }
        } catch (EOFException end) {
            System.out.println("echoer saw end of file");
        }
    }

    static void asker(Connection c, Event go, Event checked) throws Exception {
        c.poll();
        System.out.println("asker ready");
        go.await();
        long sum = 0;
        for (int i = 0; i < ROUNDS; i++) {
            c.send(i);
            sum += (Integer) c.recv();
        }
        System.out.println("asker sum " + sum);
        checked.await(); // lives on until the test has looked: at its end it hands its end back
    }

    static void readThenHang(Connection c) throws Exception {
        System.out.println("reader got " + c.recv());
        Thread.sleep(600_000);
    }

    static void readThree(Connection r, boolean close) throws Exception {
        StringBuilder got = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            got.append(' ').append(r.recv());
        }
        if (close) {
            r.close(); // hands the end back now; else it is handed back as the process ends
        }
        System.out.println("worker read" + got);
    }

    @Test
    @DisplayName("successive readers: one that ends, or closes its end, hands the unread messages back, in order")
    void successiveReaders() throws Exception {
        Pipe.Ends pipe = Pipe.open(false);
        Connection r = pipe.first();
        Connection w = pipe.second();
        for (int i = 0; i < 6; i++) {
            w.send(i);
        }
        Process first = start(() -> readThree(r, false));
        assertTrue(first.join(PATIENCE));
        assertTrue(out().contains("worker read 0 1 2"), out());
        for (int i = 6; i < 9; i++) {
            w.send(i);
        }
        Process second = start(() -> readThree(r, true));
        assertTrue(second.join(PATIENCE));
        assertTrue(out().contains("worker read 3 4 5"), out());
        for (int i = 6; i < 9; i++) {
            assertEquals(i, r.recv(), "a message the readers left was lost or reordered");
        }
        assertEquals(java.util.List.of(0, 0), java.util.List.of(first.exitCode(), second.exitCode()));
    }

    static void sendNumbers(Connection w, Event go, int n) throws Exception {
        go.await();
        for (int i = 0; i < n; i++) {
            w.send(i);
            if (i % 5 == 4) {
                Thread.sleep(1); // keeps sending while the readers take turns
            }
        }
        w.close();
    }

    /**
     * {@return "count sum increasing" of what it read until end of file} It pauses now and then
     * (longer than a claimer waits between tries), so the other reader can take the end.
     */
    static String readAll(Connection r) throws Exception {
        long count = 0;
        long sum = 0;
        int last = -1;
        boolean increasing = true;
        try {
            while (true) {
                int m = (Integer) r.recv();
                increasing &= m > last;
                last = m;
                count++;
                sum += m;
                if (count % 50 == 0) {
                    Thread.sleep(120);
                }
            }
        } catch (EOFException end) {
            return count + " " + sum + " " + increasing;
        }
    }

    static void readAllAndSay(Connection r) throws Exception {
        r.poll(); // takes the end from the opener first
        System.out.println("second reader ready");
        System.out.println("second reader: " + readAll(r));
    }

    @Test
    @DisplayName("two readers of one end while a child sends: the end moves between them; nothing lost, doubled or reordered")
    void readersShareAnEndUnderLoad() throws Exception {
        int n = 1500;
        Pipe.Ends pipe = Pipe.open(false);
        Connection r = pipe.first();
        Connection w = pipe.second();
        Event go = new Event();
        start(() -> sendNumbers(w, go, n));
        w.close(); // the sender's copy is the last
        start(() -> readAllAndSay(r));
        awaitOut("second reader ready");
        go.set();
        String[] mine = readAll(r).split(" ");
        String said = awaitOut("second reader: ").lines().filter(l -> l.startsWith("second reader: ")).findFirst().orElseThrow();
        String[] theirs = said.substring("second reader: ".length()).trim().split(" ");
        assertEquals("true", mine[2], "this process read out of order");
        assertEquals("true", theirs[2], "the child read out of order");
        assertEquals(n, Long.parseLong(mine[0]) + Long.parseLong(theirs[0]), "messages lost or doubled: " + out());
        assertEquals((long) n * (n - 1) / 2, Long.parseLong(mine[1]) + Long.parseLong(theirs[1]));
        assertTrue(Long.parseLong(mine[0]) > 0 && Long.parseLong(theirs[0]) > 0,
                "the end never moved between the readers, so this tested nothing: " + out());
    }

    static void sendThree(Connection c) {
        for (int i = 0; i < 3; i++) {
            c.send(i);
        }
        c.close();
    }

    @Test
    @DisplayName("a send whose answer is lost after the home took it is sent again, and taken once")
    void lostAnswerNotDoubled() throws Exception {
        Pipe.Ends pipe = Pipe.open(false);
        Connection r = pipe.first();
        Connection w = pipe.second();
        PipeHost.dropAnswers(1);
        try {
            start(() -> sendThree(w));
            w.close();
            for (int i = 0; i < 3; i++) {
                assertEquals(i, r.recv());
            }
            assertThrows(EOFException.class, r::recv, "a message sent again was taken twice");
            assertEquals(0, PipeHost.answersToDrop(), "no answer was dropped, so this tested nothing");
        } finally {
            PipeHost.dropAnswers(0);
        }
    }

    @Test
    @DisplayName("two children talk straight to each other: once each read its end, nothing passes through the opener")
    void childrenTalkDirectly() throws Exception {
        Pipe.Ends pipe = Pipe.open();
        Connection a = pipe.first();
        Connection b = pipe.second();
        Event go = new Event();
        Event checked = new Event();
        start(() -> echoer(a));
        start(() -> asker(b, go, checked));
        awaitOut("echoer ready");
        awaitOut("asker ready");
        PipeHost here = ClusterNode.current().pipes();
        long before = here.received();
        go.set();
        awaitOut("asker sum ");
        long expected = (long) ROUNDS * (ROUNDS + 1) / 2;
        assertTrue(out().contains("asker sum " + expected), out());
        assertEquals(before, here.received(), "messages between the children passed through the opener");
        PipeRecord p = record(a);
        assertTrue(!p.homeSession[0].equals(ClusterNode.current().session())
                && !p.homeSession[1].equals(ClusterNode.current().session()), "the opener still keeps an end");
        checked.set();
        awaitOut("echoer saw end of file"); // the asker ended; the opener's copies of its end do not count
    }

    /** {@return the cluster's record of the pipe that {@code end} belongs to, as it is now} */
    private static PipeRecord record(Connection end) {
        return PipeRecord.of(ClusterNode.current().records(end.toString().split(" ")[1]).values().iterator().next());
    }

    static void lossReader(Connection r) throws Exception {
        try {
            System.out.println("reader got, unexpectedly: " + r.recv());
        } catch (ProcessGoneException lost) {
            System.out.println("reader lost: " + lost.getMessage());
        }
        System.out.println("reader got: " + r.recv());
    }

    @Test
    @DisplayName("a claim whose answer is lost: what it carried is reported lost, what was sent to the claimer meanwhile is kept")
    void claimAnswerLostKeepsLaterSends() throws Exception {
        Pipe.Ends pipe = Pipe.open(false);
        Connection r = pipe.first();
        Connection w = pipe.second();
        w.send("handed over, then lost");
        String me = ClusterNode.current().session();
        assertEquals(me, record(r).homeSession[0]);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        PipeHost.holdClaimAnswer(release);
        try {
            start(() -> lossReader(r));
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (record(r).homeSession[0].equals(me)) {
                assertTrue(System.nanoTime() < deadline, "the child's claim was never granted");
                Thread.sleep(10);
            }
            // The move is granted and its answer held back: this send goes to the claimer, which
            // takes it while its claim waits.
            w.send("sent after the move");
            release.countDown();
            awaitOut("reader got: ");
            assertTrue(out().contains("reader lost: "), out());
            assertTrue(out().contains("reader got: sent after the move"), out());
        } finally {
            PipeHost.holdClaimAnswer(null);
            release.countDown();
        }
    }

    @Test
    @DisplayName("a reader killed with its end's messages: a send there fails naming it, never waits or vanishes")
    void readerKilled() throws Exception {
        Pipe.Ends pipe = Pipe.open();
        Connection mine = pipe.first();
        Connection theirs = pipe.second();
        Process reader = start(() -> readThenHang(theirs));
        mine.send("first");
        awaitOut("reader got first");
        reader.kill();
        assertTrue(reader.join(PATIENCE));
        ProcessGoneException e = assertThrows(ProcessGoneException.class, () -> {
            for (int i = 0; i < 10_000; i++) { // until the cluster hears of the death
                mine.send("lost?");
                Thread.sleep(5);
            }
        });
        assertTrue(e.getMessage().contains(reader.name()), e.getMessage());
    }
}
