package org.multiprocessing4j.cluster.hazelcast;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The logic of a {@code Pipe}'s record: who holds each end, and where each end's messages wait.
 * The messages themselves never enter the cluster: each end's unread messages are kept by one
 * process, its <em>home</em> (at first the opener), which senders reach over a direct socket
 * ({@link PipeHost}); a process that reads an end becomes its home (the old home hands it the
 * messages it kept), so a pipe between two processes carries its messages straight from one to
 * the other. The record is the address registry: each end's home session, endpoint and an epoch
 * counted up at every move.
 *
 * <ul>
 *   <li>Holders of end {@code e} are the record's holders keyed {@code session/e} (the count is
 *       {@code e}): the opener, and every process that decoded a handle to the end
 *       ({@link Op.Code#PIPE_ATTACH}), minus {@code close()} callers and ended sessions.</li>
 *   <li>A handle on its way to another process holds the end by a <em>ticket</em>
 *       ({@link Op.Code#PIPE_TICKET}, in the record's {@code waiting} table, {@code
 *       ticket-id/e} with the member's clock), issued when the handle is encoded and turned
 *       into its receiver's hold when the receiver attaches; so the sender may close its copy at
 *       once without closing the end under a child that has not joined the cluster yet. A ticket
 *       never attached (its receiver died first, or the handle was never decoded) stops counting
 *       after {@link #TICKET_MILLIS}.</li>
 *   <li>End of file at end {@code e}: the other end was closed by its last holder, or nobody
 *       holds it, or a holder of it ended without closing it and every remaining holder of it
 *       also holds end {@code e} (the parent that kept its copy of a dead child's end: Python's
 *       trap); a process that does not hold end {@code e} attaching to the other end takes that
 *       back. A send into an end nobody holds fails ({@code BrokenPipeException}).</li>
 *   <li>A home that closes its handle, or ends normally, while others hold the end hands it
 *       over to one of them (the record keeps each holder's endpoint for that). A home that
 *       dies takes the end's unread messages with it: the end is <em>lost</em> (reads and sends
 *       there fail with {@code ProcessGoneException}, naming the process), not at end of file,
 *       which would hide the loss.</li>
 *   <li>The record is gone once no session holds either end (its owner's end does not make it
 *       gone, unlike the other kinds: the pipe lives in its holders).</li>
 * </ul>
 */
final class PipeRecord {
    /** How long a ticket counts as a holder before its receiver attaches. */
    static final long TICKET_MILLIS = 60_000;
    private static final String TICKET = "ticket-";

    final boolean[] closed = new boolean[2];
    final boolean[] died = new boolean[2];
    final long[] epoch = new long[2];
    final String[] homeSession = {"", ""};
    final String[] homeEndpoint = {"", ""};
    final String[] homeDesc = {"", ""};
    final String[] lost = {"", ""};
    /** Counted up at every change, so a process keeps the newest of the views it is sent. */
    long version;
    /** The endpoint of each holding session, where a home that closes its end hands it over. */
    final java.util.LinkedHashMap<String, String> endpoints = new java.util.LinkedHashMap<>();

    /** {@return the pipe's fields of a record of kind {@code PIPE}} */
    static PipeRecord of(State s) {
        PipeRecord p = new PipeRecord();
        if (s.data.length == 0) {
            return p;
        }
        try (var in = new DataInputStream(new ByteArrayInputStream(s.data))) {
            p.version = in.readLong();
            for (int e = 0; e < 2; e++) {
                int flags = in.readUnsignedByte();
                p.closed[e] = (flags & 1) != 0;
                p.died[e] = (flags & 2) != 0;
                p.epoch[e] = in.readLong();
                p.homeSession[e] = in.readUTF();
                p.homeEndpoint[e] = in.readUTF();
                p.homeDesc[e] = in.readUTF();
                p.lost[e] = in.readUTF();
            }
            int n = in.readInt();
            if (n < 0 || n > in.available() / 4) {
                throw new IOException("a pipe record with " + n + " endpoints");
            }
            for (int i = 0; i < n; i++) {
                p.endpoints.put(in.readUTF(), in.readUTF());
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("a malformed pipe record: " + e, e);
        }
        return p;
    }

    private void store(State s) {
        var bytes = new ByteArrayOutputStream(128);
        try (var out = new DataOutputStream(bytes)) {
            out.writeLong(++version);
            for (int e = 0; e < 2; e++) {
                out.writeByte((closed[e] ? 1 : 0) | (died[e] ? 2 : 0));
                out.writeLong(epoch[e]);
                out.writeUTF(homeSession[e]);
                out.writeUTF(homeEndpoint[e]);
                out.writeUTF(homeDesc[e]);
                out.writeUTF(lost[e]);
            }
            out.writeInt(endpoints.size());
            for (var e : endpoints.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeUTF(e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        s.data = bytes.toByteArray();
    }

    /**
     * {@return a new pipe's record, both ends held by its creator, whose endpoint keeps both
     * ends' messages}
     *
     * @param op the {@code CREATE}; its data is the creator's endpoint (UTF)
     */
    static State create(State s, Op op) {
        String session = State.sessionOf(op.holder());
        PipeRecord p = new PipeRecord();
        String endpoint = readUtf(op.data());
        for (int e = 0; e < 2; e++) {
            s.holders.put(session + "/" + e, new State.Hold(e, op.desc()));
            p.homeSession[e] = session;
            p.homeEndpoint[e] = endpoint;
            p.homeDesc[e] = op.desc();
        }
        p.endpoints.put(session, endpoint);
        p.store(s);
        return s;
    }

    /**
     * Applies a pipe's operation to a live record.
     *
     * @param s   the record
     * @param op  the operation, one of the {@code PIPE_} codes; {@code arg} is the end
     * @param now the member's clock, in milliseconds
     * @return what happened; a changing operation answers the record as it is afterwards (its
     *         data), so the caller's view is current without another read
     */
    static State.Step apply(State s, Op op, long now) {
        int e = op.arg();
        if (e != 0 && e != 1) {
            return s.unchanged(Answer.of(Answer.Status.ILLEGAL, "a pipe's end is 0 or 1, not " + e));
        }
        String session = State.sessionOf(op.holder());
        PipeRecord p = of(s);
        return switch (op.code()) {
            case PIPE_LOOK -> s.unchanged(snapshot(s));
            case PIPE_TICKET -> {
                s.waiting.put(TICKET + readUtf(op.data()) + "/" + e, now);
                yield changedWith(s, p);
            }
            case PIPE_ATTACH -> {
                String[] ticketAndEndpoint = readUtfs(op.data(), 2);
                String ticket = ticketAndEndpoint[0];
                String endpoint = ticketAndEndpoint[1];
                boolean changed = !ticket.isEmpty() && s.waiting.remove(TICKET + ticket + "/" + e) != null;
                if (!p.closed[e] && !endpoint.isEmpty() && !endpoint.equals(p.endpoints.get(session))) {
                    p.endpoints.put(session, endpoint);
                    changed = true;
                }
                if (!p.closed[e] && !s.holders.containsKey(session + "/" + e)) {
                    s.holders.put(session + "/" + e, new State.Hold(e, op.desc()));
                    if (!s.holders.containsKey(session + "/" + (1 - e))) {
                        p.died[e] = false; // a new reader or writer takes the end back from Python's trap
                    }
                    changed = true;
                }
                yield changed ? changedWith(s, p) : s.unchanged(snapshot(s));
            }
            case PIPE_CLOSE -> {
                s.holders.remove(session + "/" + e);
                if (!s.holders.containsKey(session + "/" + (1 - e))) {
                    p.endpoints.remove(session);
                }
                if (!held(s, e, now)) {
                    p.closed[e] = true;
                    dropTickets(s, e);
                }
                if (p.closed[0] && p.closed[1]) {
                    s.gone = true;
                }
                yield changedWith(s, p);
            }
            case PIPE_MOVE -> move(s, p, op, e, session);
            default -> throw new AssertionError(op.code());
        };
    }

    /** The home of end {@code e} hands it to another process, if nothing moved it meanwhile. */
    private static State.Step move(State s, PipeRecord p, Op op, int e, String session) {
        long expected;
        String to;
        String endpoint;
        String desc;
        try (var in = new DataInputStream(new ByteArrayInputStream(op.data()))) {
            expected = in.readLong();
            to = in.readUTF();
            endpoint = in.readUTF();
            desc = in.readUTF();
        } catch (IOException x) {
            return s.unchanged(Answer.of(Answer.Status.ILLEGAL, "a malformed move of a pipe's end: " + x));
        }
        if (!p.lost[e].isEmpty()) {
            return s.unchanged(Answer.of(Answer.Status.GONE, lostMessage(p, e)));
        }
        if (p.epoch[e] == expected + 1 && p.homeSession[e].equals(to) && p.homeEndpoint[e].equals(endpoint)) {
            return s.unchanged(new Answer(Answer.Status.OK, p.epoch[e], "", s.encode())); // sent again: it moved
        }
        if (p.epoch[e] != expected || !p.homeSession[e].equals(session)) {
            return s.unchanged(Answer.of(Answer.Status.ILLEGAL, "end " + e + " moved meanwhile (epoch " + p.epoch[e]
                    + ", not " + expected + ")"));
        }
        p.epoch[e]++;
        p.homeSession[e] = to;
        p.homeEndpoint[e] = endpoint;
        p.homeDesc[e] = desc;
        p.store(s);
        return s.changed(new Answer(Answer.Status.OK, p.epoch[e], "", s.encode()));
    }

    /**
     * A session left the cluster: it holds no end any more (an end it held is marked as one a
     * holder died holding), an end whose messages it kept is lost, and the record is gone when
     * nobody holds anything.
     *
     * @return whether the record changed
     */
    static boolean sessionGone(State s, String session) {
        PipeRecord p = of(s);
        boolean changed = false;
        for (int e = 0; e < 2; e++) {
            if (s.holders.remove(session + "/" + e) != null) {
                p.died[e] = true;
                changed = true;
            }
            if (p.homeSession[e].equals(session) && p.lost[e].isEmpty() && !p.closed[e]) {
                p.lost[e] = p.homeDesc[e];
                changed = true;
            }
        }
        changed |= p.endpoints.remove(session) != null;
        if (s.holders.isEmpty() && !s.gone) {
            s.gone = true;
            changed = true;
        }
        if (changed) {
            p.store(s);
        }
        return changed;
    }

    /**
     * {@return whether anyone holds end {@code e}: a session, or a ticket younger than
     * {@link #TICKET_MILLIS}}
     *
     * @param now the clock the tickets are compared with, in milliseconds
     */
    static boolean held(State s, int e, long now) {
        String suffix = "/" + e;
        for (String h : s.holders.keySet()) {
            if (h.endsWith(suffix)) {
                return true;
            }
        }
        for (var t : s.waiting.entrySet()) {
            if (t.getKey().startsWith(TICKET) && t.getKey().endsWith(suffix) && now - t.getValue() < TICKET_MILLIS) {
                return true;
            }
        }
        return false;
    }

    private static void dropTickets(State s, int e) {
        s.waiting.keySet().removeIf(k -> k.startsWith(TICKET) && k.endsWith("/" + e));
    }

    /**
     * {@return whether a reader at end {@code e} is at end of file (once it has taken what was
     * sent)}
     *
     * @param now the clock the tickets are compared with, in milliseconds
     */
    boolean atEnd(State s, int e, long now) {
        int other = 1 - e;
        if (closed[other] || !held(s, other, now)) {
            return true;
        }
        if (!died[other]) {
            return false;
        }
        String suffix = "/" + other;
        for (String h : s.holders.keySet()) {
            if (h.endsWith(suffix) && !s.holders.containsKey(State.sessionOf(h) + "/" + e)) {
                return false;
            }
        }
        for (String t : s.waiting.keySet()) {
            if (t.startsWith(TICKET) && t.endsWith(suffix) && now - s.waiting.get(t) < TICKET_MILLIS) {
                return false; // a process about to hold the other end, which does not hold this one
            }
        }
        return true;
    }

    /** {@return whether a send into end {@code e} fails: closed for good, or held by nobody} */
    boolean broken(State s, int e, long now) {
        return closed[e] || !held(s, e, now);
    }

    /**
     * {@return a session other than {@code me} that holds end {@code e} and whose endpoint is
     * known, or null}: where a home that lets the end go hands it over
     */
    @org.jspecify.annotations.Nullable String otherHolder(State s, int e, String me) {
        for (String h : s.holders.keySet()) {
            String session = State.sessionOf(h);
            if (h.endsWith("/" + e) && !session.equals(me) && endpoints.containsKey(session)) {
                return session;
            }
        }
        return null;
    }

    /** {@return why end {@code e}'s messages were lost} */
    static String lostMessage(PipeRecord p, int e) {
        return "end " + e + " of the pipe is gone: " + p.lost[e] + ", which kept its unread messages, ended";
    }

    private static Answer snapshot(State s) {
        return new Answer(Answer.Status.OK, 0, "", s.encode());
    }

    private static State.Step changedWith(State s, PipeRecord p) {
        p.store(s);
        return s.changed(snapshot(s));
    }

    /** {@return the UTF string that is all of {@code data}, or empty for no bytes} */
    static String readUtf(byte[] data) {
        return readUtfs(data, 1)[0];
    }

    /**
     * {@return the first {@code n} UTF strings of {@code data}; those missing are empty}
     */
    static String[] readUtfs(byte[] data, int n) {
        String[] found = new String[n];
        java.util.Arrays.fill(found, "");
        try (var in = new DataInputStream(new ByteArrayInputStream(data))) {
            for (int i = 0; i < n && in.available() > 0; i++) {
                found[i] = in.readUTF();
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed strings in a pipe's operation: " + e, e);
        }
        return found;
    }

    /** {@return the strings as the bytes {@link #readUtf} and {@link #readUtfs} read} */
    static byte[] utf(String... texts) {
        var bytes = new ByteArrayOutputStream(64);
        try (var out = new DataOutputStream(bytes)) {
            for (String text : texts) {
                out.writeUTF(text);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
