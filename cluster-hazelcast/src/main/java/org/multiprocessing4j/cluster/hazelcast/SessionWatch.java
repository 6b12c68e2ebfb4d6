package org.multiprocessing4j.cluster.hazelcast;

import com.hazelcast.client.Client;
import com.hazelcast.client.ClientListener;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs on every member (agents and embedded members): when a client or a member leaves the
 * cluster — a process ended, was killed, or its host was lost — every state record is told
 * ({@link Op.Code#SESSION_GONE}): what the session held is given back (the next acquirer is
 * told), and what it owned is gone; a gone queue gets a sealed "gone" item so that its blocked
 * consumers wake up. Several members may do this for one session; it is idempotent.
 *
 * <p>The work runs on one thread of its own, not on Hazelcast's event threads, which must not
 * block.
 */
final class SessionWatch implements ClientListener, MembershipListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SessionWatch.class);
    private final HazelcastInstance member;
    private final Sealer sealer;
    /** Set by {@link #close()}, before it interrupts a sweep in progress. */
    private volatile boolean closed;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "multiprocessing4j-hazelcast-sessions");
        t.setDaemon(true);
        return t;
    });

    private SessionWatch(HazelcastInstance member, Sealer sealer) {
        this.member = member;
        this.sealer = sealer;
    }

    /**
     * {@return the watch, listening}
     *
     * @param member a member started with {@link Configs#member}
     * @param sealer its key
     */
    static SessionWatch install(HazelcastInstance member, Sealer sealer) {
        SessionWatch watch = new SessionWatch(member, sealer);
        member.getClientService().addClientListener(watch);
        member.getCluster().addMembershipListener(watch);
        return watch;
    }

    @Override
    public void clientConnected(Client client) {
        // nothing to do
    }

    @Override
    public void clientDisconnected(Client client) {
        gone(client.getUuid());
    }

    @Override
    public void memberAdded(MembershipEvent event) {
        // nothing to do
    }

    @Override
    public void memberRemoved(MembershipEvent event) {
        UUID agent = event.getMember().getUuid();
        try {
            worker.execute(() -> {
                try {
                    AgentRegistry.remove(member, agent);
                } catch (RuntimeException e) {
                    // this member is leaving too, or the cluster cannot take writes now; the
                    // entry of a member that is gone is ignored anyway
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // this member is shutting down
        }
        gone(agent);
    }

    private void gone(UUID session) {
        try {
            worker.execute(() -> sweep(session.toString()));
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // this member is shutting down
        }
    }

    private void sweep(String session) {
        try {
            IMap<String, byte[]> states = member.getMap(ClusterNode.STATE_MAP);
            Op op = new Op(Op.Code.SESSION_GONE, Op.ANY_KEY, session, "", 0, 0);
            Map<String, byte[]> answers = states.executeOnEntries(new StateOp(sealer.seal(Sealer.Label.OP, op.encode())));
            for (Map.Entry<String, byte[]> e : answers.entrySet()) {
                Answer a = Answer.decode(sealer.open(Sealer.Label.ANSWER, e.getValue(), "an answer"));
                if (a.status() == Answer.Status.OK && a.number() == 1) {
                    ClusterQueue.wakeConsumersOfGone(member, sealer, e.getKey(), a.text());
                }
            }
        } catch (RuntimeException e) {
            // A sweep that close() interrupted is not a failure: this process is leaving.
            if (!closed && member.getLifecycleService().isRunning()) {
                LOG.warn("could not release what session {} held in the cluster", session, e);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        worker.shutdownNow();
    }
}
