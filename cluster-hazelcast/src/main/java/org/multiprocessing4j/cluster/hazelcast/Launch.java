package org.multiprocessing4j.cluster.hazelcast;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.multiprocessing4j.spi.JvmRequest;

/**
 * What a process and an agent say to start a child JVM on the agent's host, and the relay
 * connections that then carry the JVM's streams.
 *
 * <p>The process sends a sealed request ({@link Sealer.Label#LAUNCH}) to the agent as a
 * {@link AgentTask}. The agent starts the JVM and opens three TCP connections back to the
 * relay address in the request, one per {@link Channel}; on each, the process first sends a
 * fresh nonce and the agent answers with the launch's id, the channel and an HMAC of all three
 * under the cluster's key ({@link Sealer.Label#RELAY}), so that nobody without the key can pose
 * as a child's streams. Then the agent answers the task (sealed, {@link Sealer.Label#LAUNCHED})
 * with the JVM's pid.
 *
 * <p>On the control channel the process sends one byte per signal ({@link #TERMINATE}, {@link
 * #KILL}); the agent sends the JVM's exit value (4 bytes) once its stdout and stderr are
 * drained, then closes everything. A control connection that closes early means, to the agent,
 * that the process is gone (the JVM is killed: no orphan) and, to the process, that the agent
 * is (the JVM counts as lost).
 */
final class Launch {
    /** The length of the nonce a relay connection starts with. */
    static final int NONCE_LENGTH = 32;
    /** Control byte: SIGTERM. */
    static final int TERMINATE = 'T';
    /** Control byte: SIGKILL. */
    static final int KILL = 'K';
    /** Sent by the process once a relay connection proved itself. */
    static final int ACCEPTED = 'Y';

    /** The three connections of one placed JVM. */
    enum Channel {
        /** The JVM's stdin (process to agent) and stdout (agent to process). */
        STDIO,
        /** The JVM's stderr. */
        STDERR,
        /** Signals one way, the exit value the other. */
        CONTROL
    }

    private Launch() {
    }

    /**
     * A request to start a JVM.
     *
     * @param id         the launch's id, which its relay connections name
     * @param relayHost  where the process accepts relay connections
     * @param relayPort  its port
     * @param parent     the requesting process, for the agent's messages
     * @param jvm        the JVM
     */
    record Request(String id, String relayHost, int relayPort, String parent, JvmRequest jvm) {
        byte[] encode() {
            return write(out -> {
                out.writeUTF(id);
                out.writeUTF(relayHost);
                out.writeInt(relayPort);
                out.writeUTF(parent);
                out.writeUTF(jvm.name());
                out.writeInt(jvm.jvmOptions().size());
                for (String option : jvm.jvmOptions()) {
                    writeLong(out, option);
                }
                out.writeUTF(jvm.mainClass());
                out.writeInt(jvm.environment().size());
                for (Map.Entry<String, String> e : jvm.environment().entrySet()) {
                    writeLong(out, e.getKey());
                    writeLong(out, e.getValue());
                }
                out.writeUTF(jvm.host() == null ? "" : jvm.host());
            });
        }

        static Request decode(byte[] bytes) {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
                String id = in.readUTF();
                String relayHost = in.readUTF();
                int relayPort = in.readInt();
                String parent = in.readUTF();
                String name = in.readUTF();
                int options = count(in.readInt());
                List<String> jvmOptions = new ArrayList<>(options);
                for (int i = 0; i < options; i++) {
                    jvmOptions.add(readLong(in));
                }
                String mainClass = in.readUTF();
                int variables = count(in.readInt());
                Map<String, String> environment = new LinkedHashMap<>();
                for (int i = 0; i < variables; i++) {
                    environment.put(readLong(in), readLong(in));
                }
                String host = in.readUTF();
                return new Request(id, relayHost, relayPort, parent,
                        new JvmRequest(name, jvmOptions, mainClass, environment, host.isEmpty() ? null : host));
            } catch (IOException e) {
                throw new IllegalArgumentException("a launch request that does not decode: " + e, e);
            }
        }
    }

    /**
     * An agent's answer.
     *
     * @param pid     the JVM's pid on the agent's host, or -1 if it did not start
     * @param message why it did not start, or empty
     */
    record Answer(long pid, String message) {
        byte[] encode() {
            return write(out -> {
                out.writeLong(pid);
                writeLong(out, message);
            });
        }

        static Answer decode(byte[] bytes) {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
                return new Answer(in.readLong(), readLong(in));
            } catch (IOException e) {
                throw new IllegalArgumentException("a launch answer that does not decode: " + e, e);
            }
        }
    }

    /**
     * The agent's side of a relay connection's handshake.
     *
     * @param sealer  the cluster's key
     * @param id      the launch's id
     * @param channel which connection this is
     * @param in      from the process
     * @param out     to the process
     * @throws IOException if the process closed it, or did not accept the proof
     */
    static void prove(Sealer sealer, String id, Channel channel, InputStream in, OutputStream out) throws IOException {
        byte[] nonce = in.readNBytes(NONCE_LENGTH);
        if (nonce.length != NONCE_LENGTH) {
            throw new IOException("the relay closed before its nonce");
        }
        DataOutputStream data = new DataOutputStream(out);
        data.writeUTF(id);
        data.writeByte(channel.ordinal());
        data.write(proof(sealer, nonce, id, channel));
        data.flush();
        if (in.read() != ACCEPTED) {
            throw new IOException("the relay did not accept this agent's proof (another cluster key?)");
        }
    }

    /**
     * The process's side: reads the agent's claim and checks its proof.
     *
     * @param sealer the cluster's key
     * @param nonce  the nonce this side sent
     * @param in     from the agent
     * @return the launch's id and the channel, proven
     * @throws IOException if it closed, or the proof is wrong
     */
    static Claim check(Sealer sealer, byte[] nonce, InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        String id = data.readUTF();
        int channel = data.readUnsignedByte();
        byte[] proof = data.readNBytes(Sealer.MAC_LENGTH);
        if (channel >= Channel.values().length || proof.length != Sealer.MAC_LENGTH) {
            throw new IOException("a relay connection that is not an agent's");
        }
        Channel c = Channel.values()[channel];
        if (!MessageDigest.isEqual(proof, proof(sealer, nonce, id, c))) {
            throw new IOException("a relay connection whose proof does not match the cluster's key");
        }
        return new Claim(id, c);
    }

    /**
     * A proven relay connection's claim.
     *
     * @param id      the launch
     * @param channel the connection
     */
    record Claim(String id, Channel channel) {
    }

    private static byte[] proof(Sealer sealer, byte[] nonce, String id, Channel channel) {
        byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
        byte[] payload = Arrays.copyOf(nonce, nonce.length + idBytes.length + 1);
        System.arraycopy(idBytes, 0, payload, nonce.length, idBytes.length);
        payload[payload.length - 1] = (byte) channel.ordinal();
        return Arrays.copyOf(sealer.seal(Sealer.Label.RELAY, payload), Sealer.MAC_LENGTH);
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] write(Writer writer) {
        var bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A string of any length (writeUTF stops at 64 KiB, which a class path option can pass). */
    private static void writeLong(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readLong(DataInputStream in) throws IOException {
        int n = count(in.readInt());
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            throw new IOException("truncated");
        }
        return new String(b, StandardCharsets.UTF_8);
    }

    private static int count(int n) throws IOException {
        if (n < 0 || n > 1 << 24) {
            throw new IOException("a length of " + n);
        }
        return n;
    }
}
