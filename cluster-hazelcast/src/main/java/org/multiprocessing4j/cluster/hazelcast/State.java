package org.multiprocessing4j.cluster.hazelcast;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The state of one primitive in the cluster's state map: a lock's holder, a semaphore's
 * permits and who took them, an event's flag, a queue's free room and unfinished tasks, a
 * condition's waiters ({@link ConditionRecord}), a barrier's parties ({@link BarrierRecord}). It is
 * changed only by {@link #apply}, run by a {@link StateOp} on the member that owns the key's
 * partition, one operation at a time per key — which is what makes each operation atomic
 * without Hazelcast's CP subsystem (a licensed feature since 5.5).
 *
 * <p>Every record names its owner, the session (Hazelcast client or member) of the process
 * that created it; when that session leaves the cluster the record is <em>gone</em>, as a
 * local primitive is gone with the process that hosts it. Holds are recorded per session
 * (and thread, for locks), so a session that leaves gives back what it held and the next
 * acquirer is told; a condition forgets the session's waiters, and a barrier at which one of
 * its threads waited breaks.
 */
final class State {
    /** What kind of primitive a record is. */
    enum Kind {
        LOCK("Lock"), RLOCK("RLock"), SEMAPHORE("Semaphore"), BOUNDED_SEMAPHORE("BoundedSemaphore"),
        EVENT("Event"), QUEUE("Queue"), CONDITION("Condition"), BARRIER("Barrier"),
        /** A chunk of the bytes of a Value or an Array ({@link DataChunk}). */
        DATA("Value or Array"),
        /** A pipe's holders and the homes of its ends' messages ({@link PipeRecord}). */
        PIPE("Pipe");

        final String display;

        Kind(String display) {
            this.display = display;
        }
    }

    /**
     * One holder's holds, and who it is in words. A condition's waiter and a barrier's party
     * are holders too, their state in {@code count} (see {@link ConditionRecord},
     * {@link BarrierRecord}).
     */
    record Hold(int count, String desc) {
    }

    /**
     * What {@link #apply} did.
     *
     * @param state     the record afterwards (the same object, or a new one for a create)
     * @param answer    what to tell the caller
     * @param changed   whether the record must be stored again
     * @param queueGone whether this operation made a queue gone (its consumers must be woken)
     */
    record Step(@Nullable State state, Answer answer, boolean changed, boolean queueGone) {
    }

    final Kind kind;
    final String owner;
    final String ownerDesc;
    boolean gone;
    /** Gone because its owner released it, not because the owner ended. */
    boolean released;
    int value;
    final int bound;
    long unfinished;
    /** A lock's fencing token: that of its current (or last) hold; 0 before the first. */
    long fence;
    String died = "";
    /** Why a barrier is broken; empty when it is not. */
    String broken = "";
    final LinkedHashMap<String, Hold> holders = new LinkedHashMap<>();
    /** A data chunk's bytes, little-endian numbers; empty for the other kinds. */
    byte[] data = new byte[0];
    /**
     * The last change each caller made, by {@link Op#caller()}: its id and what it answered, so
     * that the same operation sent again after its member was lost is answered, not applied
     * twice. At most {@link #REMEMBERED} callers, the least recent forgotten first; a caller's
     * entry goes when its session leaves.
     */
    final LinkedHashMap<String, Applied> applied = new LinkedHashMap<>();
    /** How many callers a record remembers the last change of. */
    static final int REMEMBERED = 64;

    /** A caller's last change. */
    record Applied(long id, Answer answer) {
    }

    /**
     * The threads waiting for a lock, a permit or room in a bounded queue, in the order they
     * began to wait ({@link Op#caller()}), each with when it last tried (the member's clock). A
     * waiter is served only when nobody is ahead of it, so waiters are served in arrival order,
     * as on the local transports. A waiter that gives up says so ({@link Op.Code#WAIT_LEAVE});
     * one that stopped trying without saying so (its leave was lost) drops out after
     * {@link #STALE_MILLIS}; one whose session leaves goes with it.
     */
    final LinkedHashMap<String, Long> waiting = new LinkedHashMap<>();
    /** How long a waiter stays in line without trying again: it retries at least every second. */
    static final long STALE_MILLIS = 10_000;
    /**
     * How often a waiter's try is written to the record: rarely enough that the writes (each
     * wakes every waiter) do not feed each other.
     */
    static final long REFRESH_MILLIS = 2_000;
    /** {@link Op#arg2()} of an acquire or put whose caller waits if it must (it joins the line). */
    static final int JOINS = 1;

    State(Kind kind, String owner, String ownerDesc, int value, int bound) {
        this.kind = kind;
        this.owner = owner;
        this.ownerDesc = ownerDesc;
        this.value = value;
        this.bound = bound;
    }

    /**
     * {@return its session}
     *
     * @param holder a holder key, {@code session} or {@code session/thread}
     */
    static String sessionOf(String holder) {
        int slash = holder.indexOf('/');
        return slash < 0 ? holder : holder.substring(0, slash);
    }

    /**
     * Applies one operation.
     *
     * @param current the record, or null if the key has none
     * @param op      the operation, signed by one of us
     * @return what happened
     */
    static Step apply(@Nullable State current, Op op) {
        return apply(current, op, System.currentTimeMillis());
    }

    /**
     * Applies one operation at a given time (for tests).
     *
     * @param current the record, or null if the key has none
     * @param op      the operation, signed by one of us
     * @param now     the member's clock, in milliseconds
     * @return what happened
     */
    static Step apply(@Nullable State current, Op op, long now) {
        if (op.code() == Op.Code.CREATE) {
            if (current != null) {
                return new Step(current, Answer.ok(0), false, false);
            }
            Kind kind = Kind.values()[op.arg()];
            State created = new State(kind, sessionOf(op.holder()), op.desc(), op.arg2(), op.arg2());
            if (kind == Kind.DATA) {
                if (op.arg2() <= 0 || op.arg2() > DataChunk.MAX_BYTES) {
                    return new Step(null, Answer.of(Answer.Status.ILLEGAL, "a data chunk of " + op.arg2() + " bytes"),
                            false, false);
                }
                created.data = new byte[op.arg2()];
            } else if (kind == Kind.PIPE) {
                PipeRecord.create(created, op);
            }
            return new Step(created, Answer.ok(0), true, false);
        }
        if (op.code() == Op.Code.SESSION_GONE) {
            return current == null ? new Step(null, Answer.ok(0), false, false) : current.sessionGone(op.holder());
        }
        if (op.code() == Op.Code.RELEASE) {
            return current == null || current.gone ? new Step(current, Answer.ok(0), false, false)
                    : current.release(sessionOf(op.holder()));
        }
        if (current == null) {
            return new Step(null, Answer.of(Answer.Status.GONE, op.key() + " is gone: the cluster has no record of it"
                    + " (its owner ended long ago, or the cluster lost it)"), false, false);
        }
        if (current.gone) {
            return current.unchanged(Answer.of(Answer.Status.GONE, current.goneMessage(op.key())));
        }
        if (op.id() == 0) {
            return current.live(op, now);
        }
        Applied before = current.applied.get(op.caller());
        if (before != null && before.id() == op.id()) {
            return current.unchanged(before.answer()); // sent again after its member was lost: it ran already
        }
        Step step = current.live(op, now);
        if (step.changed()) {
            current.applied.remove(op.caller());
            current.applied.put(op.caller(), new Applied(op.id(), step.answer()));
            if (current.applied.size() > REMEMBERED) {
                current.applied.remove(current.applied.keySet().iterator().next());
            }
        }
        return step;
    }

    private Step live(Op op, long now) {
        String h = op.holder();
        return switch (op.code()) {
            case LOCK_ACQUIRE -> inTurn(op, now, () -> lockAcquire(h, op.desc(), op.arg()));
            case LOCK_RELEASE -> lockRelease(h, false);
            case LOCK_RELEASE_ALL -> lockRelease(h, true);
            case LOCK_IS_LOCKED -> unchanged(Answer.ok(holders.isEmpty() ? 0 : 1));
            case LOCK_HELD -> unchanged(Answer.ok(holders.containsKey(h) ? 1 : 0));
            case LOCK_FENCE -> holders.containsKey(h) ? unchanged(Answer.ok(fence))
                    : unchanged(Answer.of(Answer.Status.ILLEGAL, "no fencing token: the calling thread does not hold the "
                    + kind.display + (holders.isEmpty() ? " (it is free)" : " (" + firstHolderDesc() + " holds it)")));
            case SEM_ACQUIRE -> inTurn(op, now, () -> semAcquire(h, op.desc()));
            case SEM_RELEASE -> semRelease(h);
            case SEM_VALUE -> unchanged(Answer.ok(value));
            case EVENT_SET -> setFlag(1);
            case EVENT_CLEAR -> setFlag(0);
            case EVENT_IS_SET -> unchanged(Answer.ok(value));
            case EVENT_WAIT -> unchanged(value == 1 ? Answer.ok(1) : Answer.of(Answer.Status.WAIT, "Event is not set"));
            case QUEUE_PUT -> bound > 0 ? inTurn(op, now, this::queuePut) : queuePut();
            case WAIT_LEAVE -> waiting.remove(op.caller()) != null ? changed(Answer.ok(0)) : unchanged(Answer.ok(0));
            case QUEUE_TAKEN -> queueTaken();
            case QUEUE_DONE -> queueDone();
            case QUEUE_JOIN -> unchanged(unfinished == 0 ? Answer.ok(0)
                    : Answer.of(Answer.Status.WAIT, "join() timed out with " + unfinished + " unfinished tasks"));
            case COND_JOIN, COND_WAIT, COND_LEAVE, COND_SIGNAL -> ConditionRecord.apply(this, op);
            case BARRIER_ARRIVE, BARRIER_POLL, BARRIER_LEAVE, BARRIER_ACTION_DONE, BARRIER_RESET, BARRIER_ABORT,
                 BARRIER_N_WAITING, BARRIER_IS_BROKEN -> BarrierRecord.apply(this, op);
            case DATA_GET, DATA_SET, DATA_GET_AND_SET, DATA_GET_AND_ADD, DATA_CAS, DATA_READ, DATA_WRITE ->
                    DataChunk.apply(this, op);
            case PIPE_LOOK, PIPE_TICKET, PIPE_ATTACH, PIPE_CLOSE, PIPE_MOVE -> PipeRecord.apply(this, op, now);
            case CREATE, SESSION_GONE, RELEASE -> throw new AssertionError(op.code());
        };
    }

    /**
     * Runs an acquire or a put in its caller's turn: only when nobody waits ahead of it (an RLock's
     * holder acquiring again is never kept waiting); a caller that must wait and {@linkplain
     * #JOINS joins} is put in line, or its last try noted. A try that does not wait takes what
     * is free at once, as Python's {@code acquire(False)} (a {@code sem_trywait}) and Java's
     * {@code tryLock()} do: it has no place in the line to keep, and so it never fails because
     * of a waiter whose process has died but whose session's end has not reached this record
     * yet.
     */
    private Step inTurn(Op op, long now, java.util.function.Supplier<Step> attempt) {
        String me = op.caller();
        boolean changed = waiting.values().removeIf(tried -> now - tried > STALE_MILLIS);
        boolean ahead = op.arg2() == JOINS && !waiting.isEmpty() && !waiting.keySet().iterator().next().equals(me)
                && !(kind == Kind.RLOCK && holders.containsKey(op.holder()));
        Step step = ahead ? unchanged(Answer.of(Answer.Status.WAIT, kind.display + " has "
                + waitersAhead(me) + " waiting before this caller")) : attempt.get();
        if (step.answer().status() == Answer.Status.WAIT) {
            Long tried = waiting.get(me);
            if (op.arg2() == JOINS && (tried == null || now - tried >= REFRESH_MILLIS)) {
                waiting.put(me, now); // an existing entry keeps its place
                changed = true;
            }
        } else {
            changed |= waiting.remove(me) != null;
        }
        return changed && !step.changed() ? changed(step.answer()) : step;
    }

    private String waitersAhead(String me) {
        int ahead = 0;
        for (String w : waiting.keySet()) {
            if (w.equals(me)) {
                break;
            }
            ahead++;
        }
        return ahead == 1 ? "1 thread" : ahead + " threads";
    }

    private Step lockAcquire(String h, String desc, int holds) {
        if (holders.isEmpty()) {
            holders.put(h, new Hold(holds, desc));
            fence++;
            return granted();
        }
        Hold mine = holders.get(h);
        if (kind == Kind.RLOCK && mine != null) {
            holders.put(h, new Hold(mine.count() + holds, desc));
            return changed(Answer.ok(1));
        }
        return unchanged(Answer.of(Answer.Status.WAIT, kind.display + " is held by " + firstHolderDesc()));
    }

    private Step lockRelease(String h, boolean all) {
        if (holders.isEmpty()) {
            return unchanged(Answer.of(Answer.Status.ILLEGAL, "release of an unlocked " + kind.display));
        }
        if (kind == Kind.LOCK) {
            holders.clear();
            return changed(Answer.ok(1));
        }
        Hold mine = holders.get(h);
        if (mine == null) {
            return unchanged(Answer.of(Answer.Status.ILLEGAL, "cannot release an RLock held by another thread or process ("
                    + firstHolderDesc() + ")"));
        }
        if (all || mine.count() == 1) {
            holders.remove(h);
        } else {
            holders.put(h, new Hold(mine.count() - 1, mine.desc()));
        }
        return changed(Answer.ok(all ? mine.count() : 1));
    }

    private Step semAcquire(String h, String desc) {
        if (value == 0) {
            return unchanged(Answer.of(Answer.Status.WAIT, kind.display + " has no free permit"));
        }
        value--;
        if (kind == Kind.BOUNDED_SEMAPHORE) { // a Semaphore's permit is taken for good, as in Python
            Hold mine = holders.get(h);
            holders.put(h, new Hold(mine == null ? 1 : mine.count() + 1, desc));
        }
        return granted();
    }

    private Step semRelease(String h) {
        if (kind == Kind.BOUNDED_SEMAPHORE && value >= bound) {
            return unchanged(Answer.of(Answer.Status.ILLEGAL, kind.display + " released too many times: its bound is " + bound));
        }
        if (value == Integer.MAX_VALUE) {
            return unchanged(Answer.of(Answer.Status.ILLEGAL, kind.display + " released too many times: it holds at most "
                    + Integer.MAX_VALUE + " permits"));
        }
        value++;
        Hold mine = holders.get(h);
        if (mine != null) {
            if (mine.count() == 1) {
                holders.remove(h);
            } else {
                holders.put(h, new Hold(mine.count() - 1, mine.desc()));
            }
        }
        return changed(Answer.ok(value));
    }

    private Step setFlag(int flag) {
        if (value == flag) {
            return unchanged(Answer.ok(flag));
        }
        value = flag;
        return changed(Answer.ok(flag));
    }

    private Step queuePut() {
        if (bound > 0) {
            if (value == 0) {
                return unchanged(Answer.of(Answer.Status.WAIT, "the queue is full (maxsize " + bound + ")"));
            }
            value--;
        }
        unfinished++;
        return changed(Answer.ok(0));
    }

    private Step queueTaken() {
        if (bound > 0 && value < bound) {
            value++;
            return changed(Answer.ok(0));
        }
        return unchanged(Answer.ok(0));
    }

    private Step queueDone() {
        if (unfinished == 0) {
            return unchanged(Answer.of(Answer.Status.ILLEGAL, "taskDone() called more times than there were items put"));
        }
        unfinished--;
        return changed(Answer.ok(unfinished));
    }

    /**
     * Its owner lets it go before it ends ({@link org.multiprocessing4j.spi.Releasable}): gone
     * at once, its bytes freed. Only a data chunk is released so (a queue's record has a
     * Hazelcast queue beside it); a second release changes nothing.
     */
    private Step release(String session) {
        if (kind != Kind.DATA) {
            return unchanged(Answer.of(Answer.Status.ILLEGAL, "only a value's or array's bytes are released early, not a "
                    + kind.display));
        }
        if (!owner.equals(session)) {
            return unchanged(Answer.of(Answer.Status.ILLEGAL, "only its owner, " + ownerDesc + ", releases it"));
        }
        gone = true;
        released = true;
        data = new byte[0];
        applied.clear();
        waiting.clear();
        return changed(Answer.ok(0));
    }

    private Step sessionGone(String session) {
        boolean changed = applied.keySet().removeIf(caller -> sessionOf(caller).equals(session));
        changed |= waiting.keySet().removeIf(caller -> sessionOf(caller).equals(session));
        boolean queueGone = false;
        if (!gone && owner.equals(session) && kind != Kind.PIPE) {
            gone = true;
            changed = true;
            queueGone = kind == Kind.QUEUE;
        }
        changed |= switch (kind) {
            case CONDITION -> ConditionRecord.sessionGone(this, session);
            case BARRIER -> BarrierRecord.sessionGone(this, session);
            case PIPE -> PipeRecord.sessionGone(this, session);
            default -> dropHolds(session);
        };
        return new Step(this, queueGone ? new Answer(Answer.Status.OK, 1, ownerDesc) : Answer.ok(0), changed, queueGone);
    }

    /**
     * Drops the holds of a session that left: permits come back, and the next acquirer is told.
     *
     * @return whether the session held anything
     */
    private boolean dropHolds(String session) {
        boolean changed = false;
        for (Iterator<Map.Entry<String, Hold>> it = holders.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Hold> e = it.next();
            if (sessionOf(e.getKey()).equals(session)) {
                it.remove();
                changed = true;
                died = e.getValue().desc();
                if (kind == Kind.SEMAPHORE || kind == Kind.BOUNDED_SEMAPHORE) {
                    value = (int) Math.min(kind == Kind.BOUNDED_SEMAPHORE ? bound : Integer.MAX_VALUE,
                            (long) value + e.getValue().count());
                }
            }
        }
        return changed;
    }

    /** A grant: tells who died holding what was granted, once. */
    private Step granted() {
        String told = died;
        died = "";
        return changed(new Answer(Answer.Status.OK, 1, told));
    }

    private String firstHolderDesc() {
        return holders.values().iterator().next().desc();
    }

    String goneMessage(String key) {
        if (kind == Kind.PIPE) {
            return "the pipe " + key + " is gone: every process that held it closed it or ended";
        }
        return kind.display + " " + key + " is gone: its owner, " + ownerDesc + (released ? ", released it" : ", ended");
    }

    Step changed(Answer answer) {
        return new Step(this, answer, true, false);
    }

    Step unchanged(Answer answer) {
        return new Step(this, answer, false, false);
    }

    byte[] encode() {
        var bytes = new ByteArrayOutputStream(128);
        try (var out = new DataOutputStream(bytes)) {
            out.writeByte(kind.ordinal());
            out.writeUTF(owner);
            out.writeUTF(ownerDesc);
            out.writeByte(gone ? (released ? 2 : 1) : 0);
            out.writeInt(value);
            out.writeInt(bound);
            out.writeLong(unfinished);
            out.writeLong(fence);
            out.writeUTF(died);
            out.writeUTF(broken);
            out.writeInt(holders.size());
            for (Map.Entry<String, Hold> e : holders.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeInt(e.getValue().count());
                out.writeUTF(e.getValue().desc());
            }
            out.writeInt(data.length);
            out.write(data);
            out.writeInt(applied.size());
            for (Map.Entry<String, Applied> e : applied.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeLong(e.getValue().id());
                byte[] answer = e.getValue().answer().encode();
                out.writeInt(answer.length);
                out.write(answer);
            }
            out.writeInt(waiting.size());
            for (Map.Entry<String, Long> e : waiting.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeLong(e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * {@return the record}
     *
     * @param bytes what {@link #encode()} wrote, already checked to be signed by us
     */
    static State decode(byte[] bytes) {
        try (var in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            Kind kind = Kind.values()[in.readUnsignedByte()];
            String owner = in.readUTF();
            String ownerDesc = in.readUTF();
            int gone = in.readUnsignedByte();
            int value = in.readInt();
            State full = new State(kind, owner, ownerDesc, value, in.readInt());
            full.gone = gone != 0;
            full.released = gone == 2;
            full.unfinished = in.readLong();
            full.fence = in.readLong();
            full.died = in.readUTF();
            full.broken = in.readUTF();
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                full.holders.put(in.readUTF(), new Hold(in.readInt(), in.readUTF()));
            }
            int length = in.readInt();
            if (length < 0 || length > in.available()) {
                throw new IOException("a record says " + length + " data bytes follow");
            }
            full.data = in.readNBytes(length);
            int remembered = in.readInt();
            if (remembered < 0 || remembered > REMEMBERED) {
                throw new IOException("a record remembers " + remembered + " callers");
            }
            for (int i = 0; i < remembered; i++) {
                String caller = in.readUTF();
                long id = in.readLong();
                int answerLength = in.readInt();
                if (answerLength < 0 || answerLength > in.available()) {
                    throw new IOException("a remembered answer of " + answerLength + " bytes");
                }
                full.applied.put(caller, new Applied(id, Answer.decode(in.readNBytes(answerLength))));
            }
            int waiters = in.readInt();
            if (waiters < 0 || waiters > in.available() / 10) {
                throw new IOException("a record says " + waiters + " threads wait");
            }
            for (int i = 0; i < waiters; i++) {
                full.waiting.put(in.readUTF(), in.readLong());
            }
            return full;
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("a malformed state record: " + e, e);
        }
    }
}
