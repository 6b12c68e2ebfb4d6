package org.multiprocessing4j.cluster.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.collection.IQueue;
import com.hazelcast.core.DistributedObject;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.AuthenticationException;
import org.multiprocessing4j.Barrier;
import org.multiprocessing4j.Condition;
import org.multiprocessing4j.DefaultCodec;
import org.multiprocessing4j.Lock;
import org.multiprocessing4j.Queue;

/**
 * A Hazelcast client that reaches the cluster but has no authkey — Community Edition lets it
 * in — cannot make our processes decode or act on anything it writes.
 */
class IntruderTest {
    private static HazelcastInstance intruder;

    @BeforeAll
    static void joinWithoutTheKey() {
        new Lock(); // joins this process to its cluster, which writes the tree file
        TreeFile tree = TreeFile.read();
        intruder = HazelcastClient.newHazelcastClient(Configs.client(tree.clusterName(), tree.addresses()));
    }

    @AfterAll
    static void leave() {
        intruder.getLifecycleService().terminate();
    }

    @Test
    @DisplayName("an item put in a queue's IQueue without the key is dropped unread; the queue goes on")
    void forgedQueueItem() throws Exception {
        AtomicReference<Queue<Object>> made = new AtomicReference<>();
        IQueue<byte[]> raw = intruder.getQueue(made(() -> made.updateAndGet(none -> new Queue<>()), "queue-"));
        Queue<Object> queue = made.get();
        raw.offer(new DefaultCodec().encode("injected"));
        raw.offer(new byte[Sealer.MAC_LENGTH + 5]);
        queue.put("legit");
        assertEquals("legit", queue.get(Duration.ofSeconds(30)));
        assertThrows(Queue.Empty.class, () -> queue.get(Duration.ofMillis(100)));
        assertEquals(0, raw.size(), "the forged items were not dropped");
    }

    @Test
    @DisplayName("an operation signed with another key is refused by the member: a held lock stays held")
    void forgedOperation() {
        AtomicReference<Lock> made = new AtomicReference<>();
        String key = made(() -> made.updateAndGet(none -> new Lock()), "lock-");
        Lock lock = made.get();
        lock.acquire();
        IMap<String, byte[]> states = intruder.getMap(ClusterNode.STATE_MAP);
        Sealer wrongKey = new Sealer("not the key".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        byte[] op = wrongKey.seal(Sealer.Label.OP, new Op(Op.Code.LOCK_RELEASE, key, "intruder", "intruder", 0, 0).encode());
        byte[] answer = states.submitToKey(key, new StateOp(op)).toCompletableFuture().join();
        assertThrows(AuthenticationException.class, () -> wrongKey.open(Sealer.Label.ANSWER, answer, "the answer"),
                "the member answered with the intruder's key");
        assertTrue(lock.isLocked(), "a forged release released the lock");
        lock.release();
    }

    @Test
    @DisplayName("a state record overwritten without the key is refused, never decoded")
    void forgedRecord() {
        AtomicReference<Lock> made = new AtomicReference<>();
        String key = made(() -> made.updateAndGet(none -> new Lock()), "lock-");
        Lock lock = made.get();
        IMap<String, byte[]> states = intruder.getMap(ClusterNode.STATE_MAP);
        State forged = new State(State.Kind.LOCK, "intruder", "intruder", 0, 0);
        states.put(key, forged.encode());
        AuthenticationException e = assertThrows(AuthenticationException.class, () -> lock.acquire(false));
        assertTrue(e.getMessage().contains("not signed with the cluster's authkey"), e.getMessage());
    }

    @Test
    @DisplayName("a barrier's and a condition's operations signed with another key are refused: nothing breaks or wakes")
    void forgedBarrierAndConditionOperations() {
        AtomicReference<Barrier> barrier = new AtomicReference<>();
        String barrierKey = made(() -> barrier.updateAndGet(none -> new Barrier(2)), "barrier-");
        assertRefused(forge(barrierKey, Op.Code.BARRIER_ABORT, 0));
        assertFalse(barrier.get().isBroken(), "a forged abort broke the barrier");
        AtomicReference<Condition> condition = new AtomicReference<>();
        String conditionKey = made(() -> condition.updateAndGet(none -> new Condition()), "condition-");
        assertRefused(forge(conditionKey, Op.Code.COND_JOIN, 0));
        assertRefused(forge(conditionKey, Op.Code.COND_SIGNAL, Integer.MAX_VALUE));
        byte[] ours = ClusterNode.current().sealer().seal(Sealer.Label.OP,
                new Op(Op.Code.BARRIER_ABORT, barrierKey, "x", "x", 0, 0).encode());
        byte[] replayed = intruder.<String, byte[]>getMap(ClusterNode.STATE_MAP)
                .submitToKey(conditionKey, new StateOp(ours)).toCompletableFuture().join();
        assertRefused(replayed);
        assertFalse(barrier.get().isBroken());
    }

    @Test
    @DisplayName("a value's bytes can be neither changed by an operation signed with another key nor replaced: refused, never decoded")
    void forgedValue() {
        AtomicReference<org.multiprocessing4j.Value.OfLong> made = new AtomicReference<>();
        String key = made(() -> made.updateAndGet(none -> org.multiprocessing4j.Value.ofLong(7)), "data-");
        org.multiprocessing4j.Value.OfLong value = made.get();
        Sealer wrongKey = new Sealer("not the key".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        byte[] nine = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(9).array();
        byte[] op = wrongKey.seal(Sealer.Label.OP, new Op(Op.Code.DATA_SET, key, "intruder", "intruder", 0, 8, nine, 5)
                .encode());
        assertRefused(intruder.<String, byte[]>getMap(ClusterNode.STATE_MAP).submitToKey(key, new StateOp(op))
                .toCompletableFuture().join());
        assertEquals(7, value.get(), "a forged set changed the value");
        State forged = new State(State.Kind.DATA, "intruder", "intruder", 8, 8);
        intruder.<String, byte[]>getMap(ClusterNode.STATE_MAP).put(key, forged.encode());
        AuthenticationException e = assertThrows(AuthenticationException.class, value::get);
        assertTrue(e.getMessage().contains("not signed with the cluster's authkey"), e.getMessage());
    }

    @Test
    @DisplayName("a relay connection whose proof is made with another key is refused; one made with the key is accepted")
    void forgedRelayConnection() throws Exception {
        Sealer ours = ClusterNode.current().sealer();
        Sealer wrongKey = new Sealer("not the key".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        byte[] nonce = new byte[Launch.NONCE_LENGTH];
        new java.security.SecureRandom().nextBytes(nonce);
        var fromAgent = new java.io.ByteArrayOutputStream();
        Launch.prove(wrongKey, "some-launch", Launch.Channel.STDIO,
                new java.io.ByteArrayInputStream(concat(nonce, new byte[] {Launch.ACCEPTED})), fromAgent);
        IOException refused = assertThrows(IOException.class, () -> Launch.check(ours, nonce,
                new java.io.ByteArrayInputStream(fromAgent.toByteArray())));
        assertTrue(refused.getMessage().contains("proof does not match"), refused.getMessage());
        var honest = new java.io.ByteArrayOutputStream();
        Launch.prove(ours, "some-launch", Launch.Channel.CONTROL,
                new java.io.ByteArrayInputStream(concat(nonce, new byte[] {Launch.ACCEPTED})), honest);
        assertEquals(new Launch.Claim("some-launch", Launch.Channel.CONTROL),
                Launch.check(ours, nonce, new java.io.ByteArrayInputStream(honest.toByteArray())));
        byte[] replayed = honest.toByteArray();
        byte[] otherNonce = nonce.clone();
        otherNonce[0]++;
        assertThrows(IOException.class, () -> Launch.check(ours, otherNonce, new java.io.ByteArrayInputStream(replayed)),
                "a proof for another nonce was accepted (replay)");
    }

    @Test
    @DisplayName("a connection to a pipe's endpoint without the pipes' key is refused before a request is read; one with it is accepted")
    void pipeEndpointWithoutTheKey() throws Exception {
        org.multiprocessing4j.Pipe.Ends pipe = org.multiprocessing4j.Pipe.open();
        try {
            String endpoint = ClusterNode.current().pipes().endpoint();
            int colon = endpoint.lastIndexOf(':');
            var address = new java.net.InetSocketAddress(endpoint.substring(0, colon),
                    Integer.parseInt(endpoint.substring(colon + 1)));
            byte[] authkey = org.multiprocessing4j.internal.ProcessRuntime.current().authkey();
            for (byte[] wrong : java.util.List.of("not the key".getBytes(java.nio.charset.StandardCharsets.UTF_8), authkey)) {
                try (var socket = new java.net.Socket()) {
                    socket.connect(address, 10_000);
                    socket.setSoTimeout(10_000);
                    // the authkey itself is not the pipes' key either: theirs is derived from it
                    assertThrows(AuthenticationException.class,
                            () -> org.multiprocessing4j.internal.net.Sockets.authenticate(socket, wrong, endpoint));
                }
            }
            assertFalse(pipe.first().poll(), "something arrived through a refused connection");
            try (var socket = new java.net.Socket()) {
                socket.connect(address, 10_000);
                socket.setSoTimeout(10_000);
                org.multiprocessing4j.internal.net.Sockets.authenticate(socket,
                        ClusterNode.current().sealer().derivedKey(Sealer.Label.PIPE_LINK), endpoint); // accepted
            }
        } finally {
            pipe.first().close();
            pipe.second().close();
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    /** {@return the member's sealed answer to an operation on {@code key} signed with a key that is not the cluster's} */
    private static byte[] forge(String key, Op.Code code, int arg) {
        Sealer wrongKey = new Sealer("not the key".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        byte[] op = wrongKey.seal(Sealer.Label.OP, new Op(code, key, "intruder/1", "intruder", arg, 0).encode());
        return intruder.<String, byte[]>getMap(ClusterNode.STATE_MAP).submitToKey(key, new StateOp(op)).toCompletableFuture().join();
    }

    private static void assertRefused(byte[] sealedAnswer) {
        Answer a = Answer.decode(ClusterNode.current().sealer().open(Sealer.Label.ANSWER, sealedAnswer, "the answer"));
        assertEquals(Answer.Status.REFUSED, a.status(), a.text());
    }

    /**
     * @param make   makes one primitive
     * @param prefix the start of its record's key
     * @return the key of the record it made, as the intruder sees the cluster
     */
    private static <T> String made(java.util.function.Supplier<T> make, String prefix) {
        java.util.Set<String> before = names(prefix);
        make.get();
        java.util.Set<String> after = names(prefix);
        after.removeAll(before);
        assertEquals(1, after.size(), "cannot tell which record is new: " + after);
        return after.iterator().next();
    }

    private static java.util.Set<String> names(String prefix) {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (DistributedObject o : intruder.getDistributedObjects()) {
            names.add(o.getName());
        }
        names.addAll(intruder.<String, byte[]>getMap(ClusterNode.STATE_MAP).keySet());
        names.removeIf(n -> !n.startsWith(prefix));
        return names;
    }
}
