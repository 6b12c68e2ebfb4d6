package org.multiprocessing4j.cluster.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.AuthenticationException;

/** The records' logic and their signing, without a cluster. */
class StateTest {
    private static final String KEY = "k";

    private static State.Step run(State s, Op.Code code, String holder, int arg) {
        return State.apply(s, new Op(code, KEY, holder, "desc of " + holder, arg, 0));
    }

    private static State created(State.Kind kind, String owner, int value) {
        State.Step step = State.apply(null, new Op(Op.Code.CREATE, KEY, owner, "owner " + owner, kind.ordinal(), value));
        assertTrue(step.changed());
        return step.state();
    }

    private static Answer data(State s, Op.Code code, int offset, int width, long... values) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 * values.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            b.putLong(v);
        }
        return State.apply(s, new Op(code, KEY, "a", "desc", offset, width, b.array(), 0)).answer();
    }

    @Test
    @DisplayName("a data chunk: little-endian ints and longs with atomic updates, reads and writes of bytes, bounds refused, and its bytes survive encoding")
    void dataChunk() {
        State s = created(State.Kind.DATA, "a", 32);
        assertEquals(0, data(s, Op.Code.DATA_GET_AND_ADD, 4, 4, -5).number());
        assertEquals(-5, data(s, Op.Code.DATA_GET, 4, 4).number(), "sign-extended");
        assertEquals(1, data(s, Op.Code.DATA_CAS, 4, 4, -5, Integer.MAX_VALUE).number());
        assertEquals(0, data(s, Op.Code.DATA_CAS, 4, 4, -5, 0).number());
        assertEquals(Integer.MAX_VALUE, data(s, Op.Code.DATA_GET_AND_ADD, 4, 4, 1).number());
        assertEquals(Integer.MIN_VALUE, data(s, Op.Code.DATA_GET, 4, 4).number(), "wraps as an int");
        data(s, Op.Code.DATA_SET, 8, 8, 0x0102030405060708L);
        assertEquals(0x0102030405060708L, data(s, Op.Code.DATA_GET_AND_SET, 8, 8, 9).number());
        State decoded = State.decode(s.encode());
        Answer read = State.apply(decoded, new Op(Op.Code.DATA_READ, KEY, "b", "b", 8, 2)).answer();
        assertEquals(Answer.Status.OK, read.status());
        assertEquals(java.util.List.of((byte) 9, (byte) 0), java.util.List.of(read.data()[0], read.data()[1]));
        State.apply(decoded, new Op(Op.Code.DATA_WRITE, KEY, "b", "b", 30, 0, new byte[] {7, 7}, 0));
        assertEquals(0x0707, data(decoded, Op.Code.DATA_GET, 28, 4).number() >>> 16);
        for (Answer bad : new Answer[] {data(s, Op.Code.DATA_GET, 30, 4), data(s, Op.Code.DATA_GET, 2, 4),
                data(s, Op.Code.DATA_GET, 0, 3),
                State.apply(s, new Op(Op.Code.DATA_WRITE, KEY, "b", "b", 31, 0, new byte[2], 0)).answer()}) {
            assertEquals(Answer.Status.ILLEGAL, bad.status(), bad.text());
        }
        State lock = created(State.Kind.LOCK, "a", 0);
        assertEquals(Answer.Status.ILLEGAL, data(lock, Op.Code.DATA_GET, 0, 4).status());
        assertEquals(Answer.Status.ILLEGAL, State.apply(null, new Op(Op.Code.CREATE, KEY, "a", "a",
                State.Kind.DATA.ordinal(), DataChunk.MAX_BYTES + 1)).answer().status());
        Answer roundTrip = Answer.decode(read.encode());
        assertEquals(read, roundTrip);
    }

    @Test
    @DisplayName("a change sent again with its id (its member was lost) is answered as before, not applied twice, also after encoding; memory per caller, bounded, dropped with the session")
    void changeSentAgain() {
        State s = created(State.Kind.DATA, "a", 8);
        byte[] one = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(1).array();
        Op add = new Op(Op.Code.DATA_GET_AND_ADD, KEY, "a", "a", 0, 8, one, 7L << 32 | 1);
        assertEquals(0, State.apply(s, add).answer().number());
        State decoded = State.decode(s.encode());
        State.Step again = State.apply(decoded, add);
        assertEquals(0, again.answer().number(), "answered as the first time");
        assertFalse(again.changed());
        Op next = new Op(Op.Code.DATA_GET_AND_ADD, KEY, "a", "a", 0, 8, one, 7L << 32 | 3);
        assertEquals(1, State.apply(decoded, next).answer().number());
        assertEquals(2, data(decoded, Op.Code.DATA_GET, 0, 8).number());
        for (long thread = 100; thread < 100 + State.REMEMBERED + 5; thread++) {
            State.apply(decoded, new Op(Op.Code.DATA_SET, KEY, "b", "b", 0, 8, one, thread << 32 | 1));
        }
        assertEquals(State.REMEMBERED, State.decode(decoded.encode()).applied.size(), "bounded");

        State lock = created(State.Kind.LOCK, "a", 0);
        Op acquire = new Op(Op.Code.LOCK_ACQUIRE, KEY, "c/9", "c", 1, 0, new byte[0], 9L << 32 | 5);
        assertEquals(Answer.Status.OK, State.apply(lock, acquire).answer().status());
        assertEquals(Answer.Status.OK, State.apply(State.decode(lock.encode()), acquire).answer().status(),
                "an acquire that ran, sent again, is granted, not told to wait for itself");
        assertEquals(Answer.Status.WAIT, State.apply(lock,
                new Op(Op.Code.LOCK_ACQUIRE, KEY, "c/9", "c", 1, 0, new byte[0], 9L << 32 | 7)).answer().status());
        State.apply(lock, new Op(Op.Code.SESSION_GONE, Op.ANY_KEY, "c", "", 0, 0));
        assertTrue(lock.applied.isEmpty(), "the session's callers are forgotten with it");
    }

    @Test
    @DisplayName("a data chunk released by its owner is gone at once, its bytes freed, saying so; others may not release it, nor anything but data; twice is harmless")
    void release() {
        State s = created(State.Kind.DATA, "a", 16);
        data(s, Op.Code.DATA_SET, 0, 8, 42);
        Answer stranger = State.apply(s, new Op(Op.Code.RELEASE, KEY, "b", "b", 0, 0)).answer();
        assertEquals(Answer.Status.ILLEGAL, stranger.status());
        assertTrue(stranger.text().contains("only its owner, owner a"), stranger.text());
        assertEquals(42, data(s, Op.Code.DATA_GET, 0, 8).number(), "still there");
        State.Step released = State.apply(s, new Op(Op.Code.RELEASE, KEY, "a/3", "a", 0, 0));
        assertTrue(released.changed());
        assertEquals(0, s.data.length, "its bytes are freed");
        State decoded = State.decode(s.encode());
        Answer late = data(decoded, Op.Code.DATA_GET, 0, 8);
        assertEquals(Answer.Status.GONE, late.status());
        assertTrue(late.text().contains("owner a, released it"), late.text());
        State.Step twice = State.apply(decoded, new Op(Op.Code.RELEASE, KEY, "a", "a", 0, 0));
        assertEquals(Answer.Status.OK, twice.answer().status());
        assertFalse(twice.changed());
        State lock = created(State.Kind.LOCK, "a", 0);
        assertEquals(Answer.Status.ILLEGAL, State.apply(lock, new Op(Op.Code.RELEASE, KEY, "a", "a", 0, 0)).answer().status());
        assertFalse(lock.gone);
    }

    /** An operation of thread {@code thread} of session {@code session}, as ClusterNode sends it. */
    private static Op fromThread(Op.Code code, String session, long thread, boolean threadHolds, int arg, int arg2) {
        return new Op(code, KEY, threadHolds ? session + "/" + thread : session, "desc of " + session + "/" + thread,
                arg, arg2, new byte[0], thread << 32 | (java.util.concurrent.ThreadLocalRandom.current().nextInt() & 0xffffffffL | 1));
    }

    private static Answer.Status lockTry(State s, String session, long thread, boolean joins, long now) {
        return State.apply(s, fromThread(Op.Code.LOCK_ACQUIRE, session, thread, true, 1, joins ? State.JOINS : 0), now)
                .answer().status();
    }

    @Test
    @DisplayName("waiters for a lock are served in arrival order: a later one is refused while another is ahead, a try that does not wait takes a free lock; leaving, going stale or a session's end takes a waiter out; an RLock's holder never waits")
    void waitersInArrivalOrder() {
        State s = created(State.Kind.LOCK, "a", 0);
        long now = 1_000_000;
        assertEquals(Answer.Status.OK, lockTry(s, "a", 1, true, now));
        State.Step b = State.apply(s, fromThread(Op.Code.LOCK_ACQUIRE, "b", 1, true, 1, State.JOINS), now + 1);
        assertEquals(Answer.Status.WAIT, b.answer().status());
        assertTrue(b.changed(), "b joined the line");
        assertEquals(Answer.Status.WAIT, lockTry(s, "c", 1, true, now + 2));
        State.Step again = State.apply(s, fromThread(Op.Code.LOCK_ACQUIRE, "b", 1, true, 1, State.JOINS), now + 3);
        assertFalse(again.changed(), "a try soon after the last one writes nothing (it would wake every waiter)");
        s = State.decode(s.encode());
        assertEquals(java.util.List.of("b/1", "c/1"), java.util.List.copyOf(s.waiting.keySet()), "the line survives encoding");
        State.apply(s, fromThread(Op.Code.LOCK_RELEASE, "a", 1, true, 0, 0), now + 4);
        assertEquals(Answer.Status.WAIT, lockTry(s, "c", 1, true, now + 5), "c is behind b");
        assertEquals(Answer.Status.OK, lockTry(s, "d", 1, false, now + 5),
                "a try that does not wait takes a free lock, as tryLock and sem_trywait do");
        assertEquals(Answer.Status.WAIT, lockTry(s, "e", 1, false, now + 5));
        assertFalse(s.waiting.containsKey("e/1"), "a refused try that does not wait does not join the line");
        assertEquals(Answer.Status.WAIT, lockTry(s, "b", 1, true, now + 5));
        assertEquals(java.util.List.of("b/1", "c/1"), java.util.List.copyOf(s.waiting.keySet()), "b kept its place");
        State.apply(s, fromThread(Op.Code.LOCK_RELEASE, "d", 1, true, 0, 0), now + 5);
        assertEquals(Answer.Status.OK, lockTry(s, "b", 1, true, now + 6), "b's turn");
        assertEquals(java.util.List.of("c/1"), java.util.List.copyOf(s.waiting.keySet()));
        State.apply(s, fromThread(Op.Code.LOCK_RELEASE, "b", 1, true, 0, 0), now + 7);
        State.apply(s, fromThread(Op.Code.WAIT_LEAVE, "c", 1, true, 0, 0), now + 8);
        assertTrue(s.waiting.isEmpty(), "c gave up and left");
        assertEquals(Answer.Status.OK, lockTry(s, "d", 1, false, now + 9));

        assertEquals(Answer.Status.WAIT, lockTry(s, "e", 1, true, now + 10));
        assertEquals(Answer.Status.WAIT, lockTry(s, "f", 1, true, now + 10));
        State.apply(s, fromThread(Op.Code.LOCK_RELEASE, "d", 1, true, 0, 0), now + 11);
        assertEquals(Answer.Status.WAIT, lockTry(s, "f", 1, true, now + State.REFRESH_MILLIS + 20));
        assertEquals(Answer.Status.OK, lockTry(s, "f", 1, true, now + State.STALE_MILLIS + 20),
                "e stopped trying without leaving: it drops out of the line");
        assertEquals(Answer.Status.WAIT, lockTry(s, "g", 1, true, now + State.STALE_MILLIS + 30));
        State.apply(s, new Op(Op.Code.SESSION_GONE, Op.ANY_KEY, "g", "", 0, 0));
        assertTrue(s.waiting.isEmpty(), "a session's waiters go with it");

        State r = created(State.Kind.RLOCK, "a", 0);
        assertEquals(Answer.Status.OK, lockTry(r, "a", 1, true, now));
        assertEquals(Answer.Status.WAIT, lockTry(r, "b", 1, true, now));
        assertEquals(Answer.Status.OK, lockTry(r, "a", 1, true, now), "the holder acquires again past the line");
    }

    @Test
    @DisplayName("waiters for a permit, and for room in a bounded queue, are served in arrival order, thread by thread within a process")
    void permitsAndRoomInArrivalOrder() {
        servedInOrder(created(State.Kind.SEMAPHORE, "a", 1), Op.Code.SEM_ACQUIRE, Op.Code.SEM_RELEASE);
        servedInOrder(created(State.Kind.QUEUE, "a", 1), Op.Code.QUEUE_PUT, Op.Code.QUEUE_TAKEN);
    }

    /** One unit to take: thread 1 of a takes it, thread 2 of a and then b wait; once it is back, a/2 is first. */
    private static void servedInOrder(State s, Op.Code take, Op.Code giveBack) {
        java.util.function.BiFunction<String, Long, Answer.Status> taking = (session, thread) -> State.apply(s,
                fromThread(take, session, thread, false, 0, State.JOINS), 5_000).answer().status();
        assertEquals(Answer.Status.OK, taking.apply("a", 1L));
        assertEquals(Answer.Status.WAIT, taking.apply("a", 2L));
        assertEquals(Answer.Status.WAIT, taking.apply("b", 1L));
        State.apply(s, fromThread(giveBack, "c", 1, false, 0, 0), 5_000);
        assertEquals(Answer.Status.WAIT, taking.apply("b", 1L), "thread 2 of a is ahead");
        assertEquals(Answer.Status.OK, taking.apply("a", 2L));
    }

    @Test
    @DisplayName("an RLock counts its holder thread's holds and refuses others; releaseAll returns the count")
    void rlock() {
        State s = created(State.Kind.RLOCK, "a", 0);
        assertEquals(Answer.Status.OK, run(s, Op.Code.LOCK_ACQUIRE, "a/1", 1).answer().status());
        assertEquals(Answer.Status.OK, run(s, Op.Code.LOCK_ACQUIRE, "a/1", 1).answer().status());
        assertEquals(Answer.Status.WAIT, run(s, Op.Code.LOCK_ACQUIRE, "a/2", 1).answer().status());
        assertEquals(Answer.Status.ILLEGAL, run(s, Op.Code.LOCK_RELEASE, "b/1", 0).answer().status());
        assertEquals(2, run(s, Op.Code.LOCK_RELEASE_ALL, "a/1", 0).answer().number());
        Answer free = run(s, Op.Code.LOCK_RELEASE, "a/1", 0).answer();
        assertEquals(Answer.Status.ILLEGAL, free.status());
        assertTrue(free.text().contains("release of an unlocked RLock"), free.text());
    }

    @Test
    @DisplayName("a lock's fencing token grows with each new hold, a dead holder's included, survives encoding, and is refused to non-holders")
    void fencingToken() {
        State s = created(State.Kind.RLOCK, "a", 0);
        assertEquals(Answer.Status.ILLEGAL, run(s, Op.Code.LOCK_FENCE, "a/1", 0).answer().status());
        run(s, Op.Code.LOCK_ACQUIRE, "a/1", 1);
        run(s, Op.Code.LOCK_ACQUIRE, "a/1", 1);
        assertEquals(1, run(s, Op.Code.LOCK_FENCE, "a/1", 0).answer().number());
        Answer other = run(s, Op.Code.LOCK_FENCE, "a/2", 0).answer();
        assertEquals(Answer.Status.ILLEGAL, other.status());
        assertTrue(other.text().contains("does not hold the RLock"), other.text());
        run(s, Op.Code.LOCK_RELEASE_ALL, "a/1", 0);
        run(s, Op.Code.LOCK_ACQUIRE, "dead/1", 1);
        State.apply(s, new Op(Op.Code.SESSION_GONE, Op.ANY_KEY, "dead", "", 0, 0));
        State decoded = State.decode(s.encode());
        run(decoded, Op.Code.LOCK_ACQUIRE, "b/1", 1);
        assertEquals(3, run(decoded, Op.Code.LOCK_FENCE, "b/1", 0).answer().number());
    }

    @Test
    @DisplayName("a session that leaves gives back its permits (never past the bound) and the next acquirer is told once")
    void semaphoreHolderLeaves() {
        State s = created(State.Kind.BOUNDED_SEMAPHORE, "owner", 2);
        run(s, Op.Code.SEM_ACQUIRE, "dead", 0);
        run(s, Op.Code.SEM_ACQUIRE, "dead", 0);
        assertEquals(Answer.Status.WAIT, run(s, Op.Code.SEM_ACQUIRE, "alive", 0).answer().status());
        run(s, Op.Code.SEM_RELEASE, "alive", 0); // a release on the dead one's behalf
        State.apply(s, new Op(Op.Code.SESSION_GONE, Op.ANY_KEY, "dead", "", 0, 0));
        assertEquals(2, s.value, "permits came back past the bound");
        Answer first = run(s, Op.Code.SEM_ACQUIRE, "alive", 0).answer();
        assertEquals("desc of dead", first.text());
        assertEquals("", run(s, Op.Code.SEM_ACQUIRE, "alive", 0).answer().text());
        Answer over = run(State.decode(s.encode()), Op.Code.SEM_VALUE, "alive", 0).answer();
        assertEquals(0, over.number(), "the record did not survive encoding");
    }

    @Test
    @DisplayName("a record whose owner left is gone for every operation; a queue's going is reported")
    void ownerLeaves() {
        State s = created(State.Kind.QUEUE, "owner", 1);
        assertEquals(Answer.Status.OK, run(s, Op.Code.QUEUE_PUT, "p", 0).answer().status());
        assertEquals(Answer.Status.WAIT, run(s, Op.Code.QUEUE_PUT, "p", 0).answer().status());
        State.Step gone = State.apply(s, new Op(Op.Code.SESSION_GONE, Op.ANY_KEY, "owner", "", 0, 0));
        assertTrue(gone.queueGone());
        assertFalse(State.apply(s, new Op(Op.Code.SESSION_GONE, Op.ANY_KEY, "owner", "", 0, 0)).queueGone(),
                "a second notice reported the queue gone again");
        Answer after = run(s, Op.Code.QUEUE_TAKEN, "p", 0).answer();
        assertEquals(Answer.Status.GONE, after.status());
        assertTrue(after.text().contains("owner owner"), after.text());
    }

    @Test
    @DisplayName("a joinable queue counts unfinished tasks; taskDone too often is refused")
    void joinable() {
        State s = created(State.Kind.QUEUE, "owner", 0);
        run(s, Op.Code.QUEUE_PUT, "p", 0);
        assertEquals(Answer.Status.WAIT, run(s, Op.Code.QUEUE_JOIN, "p", 0).answer().status());
        assertEquals(Answer.Status.OK, run(s, Op.Code.QUEUE_DONE, "p", 0).answer().status());
        assertEquals(Answer.Status.OK, run(s, Op.Code.QUEUE_JOIN, "p", 0).answer().status());
        assertEquals(Answer.Status.ILLEGAL, run(s, Op.Code.QUEUE_DONE, "p", 0).answer().status());
    }

    @Test
    @DisplayName("a sealed value opens only with its key and its label; a changed byte is refused")
    void sealing() {
        Sealer ours = new Sealer(new byte[] {1, 2, 3});
        byte[] sealed = ours.seal(Sealer.Label.ITEM, new byte[] {42});
        assertEquals(42, ours.open(Sealer.Label.ITEM, sealed, "x")[0]);
        assertThrows(AuthenticationException.class, () -> ours.open(Sealer.Label.OP, sealed, "x"));
        assertThrows(AuthenticationException.class, () -> new Sealer(new byte[] {9}).open(Sealer.Label.ITEM, sealed, "x"));
        sealed[sealed.length - 1] ^= 1;
        assertThrows(AuthenticationException.class, () -> ours.open(Sealer.Label.ITEM, sealed, "x"));
        assertThrows(AuthenticationException.class, () -> ours.open(Sealer.Label.ITEM, new byte[3], "x"));
    }
}
