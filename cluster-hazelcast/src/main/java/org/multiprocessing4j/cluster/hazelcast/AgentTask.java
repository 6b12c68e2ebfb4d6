package org.multiprocessing4j.cluster.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;

/**
 * A sealed request to an agent, on its way through Hazelcast's executor; the agent's {@link
 * AgentLauncher} checks the seal before it decodes a byte, and seals its answer. Two kinds:
 * {@link Kind#LAUNCH}, start a child JVM ({@link Launch}); {@link Kind#CLASS_CHECK}, which of
 * these classes can the JVMs you start (they get your class path) not load. A member that is no
 * agent answers a launch with a sealed refusal, if it can, and fails a class check.
 */
final class AgentTask implements Callable<byte[]>, Serializable, HazelcastInstanceAware {
    @Serial
    private static final long serialVersionUID = 2L;
    /** The executor that carries requests to agents. */
    static final String EXECUTOR = "multiprocessing4j.launch";
    /** The most class names one class check may carry. */
    static final int MAX_NAMES = 65_536;

    /** What the request asks. */
    enum Kind {
        /** Start a child JVM: a {@link Launch.Request} sealed as {@link Sealer.Label#LAUNCH}. */
        LAUNCH,
        /** Say which classes are missing: {@link #encodeNames names} sealed as {@link Sealer.Label#CLASSES}. */
        CLASS_CHECK
    }

    private final Kind kind;
    private final byte[] sealedRequest;
    private transient @Nullable HazelcastInstance instance;

    AgentTask(Kind kind, byte[] sealedRequest) {
        this.kind = kind;
        this.sealedRequest = sealedRequest.clone();
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance hazelcastInstance) {
        this.instance = hazelcastInstance;
    }

    @Override
    public byte[] call() {
        HazelcastInstance hz = instance;
        if (hz != null && hz.getUserContext().get(AgentLauncher.KEY) instanceof AgentLauncher launcher) {
            return switch (kind) {
                case LAUNCH -> launcher.launch(sealedRequest);
                case CLASS_CHECK -> launcher.missingClasses(sealedRequest);
            };
        }
        String notAgent = "member " + (hz == null ? "?" : hz.getName()) + " is not an agent; it starts no JVMs";
        if (kind == Kind.LAUNCH && hz != null && hz.getUserContext().get(StateOp.SEALER) instanceof Sealer sealer) {
            return sealer.seal(Sealer.Label.LAUNCHED, new Launch.Answer(-1, notAgent).encode());
        }
        throw new IllegalStateException(notAgent);
    }

    /** {@return class names, as a class check's or its answer's payload} */
    static byte[] encodeNames(Collection<String> names) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(names.size());
            for (String name : names) {
                out.writeUTF(name);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * {@return the names in a payload from {@link #encodeNames}}
     *
     * @throws IllegalArgumentException if it is not one
     */
    static Set<String> decodeNames(byte[] payload) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            int count = in.readInt();
            if (count < 0 || count > MAX_NAMES) {
                throw new IllegalArgumentException("a class check names " + count + " classes");
            }
            Set<String> names = new TreeSet<>();
            for (int i = 0; i < count; i++) {
                names.add(in.readUTF());
            }
            return names;
        } catch (IOException e) {
            throw new IllegalArgumentException("a class check is cut short: " + e, e);
        }
    }
}
