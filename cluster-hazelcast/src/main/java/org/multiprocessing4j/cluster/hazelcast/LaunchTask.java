package org.multiprocessing4j.cluster.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import java.io.Serial;
import java.io.Serializable;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;

/**
 * A sealed launch request ({@link Launch}) on its way to an agent through Hazelcast's executor:
 * the agent's {@link AgentLauncher} checks the seal before it decodes a byte. A member that is
 * no agent answers so, sealed if it can.
 */
final class LaunchTask implements Callable<byte[]>, Serializable, HazelcastInstanceAware {
    @Serial
    private static final long serialVersionUID = 1L;
    /** The executor that carries launch requests. */
    static final String EXECUTOR = "multiprocessing4j.launch";
    private final byte[] sealedRequest;
    private transient @Nullable HazelcastInstance instance;

    LaunchTask(byte[] sealedRequest) {
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
            return launcher.launch(sealedRequest);
        }
        if (hz != null && hz.getUserContext().get(StateOp.SEALER) instanceof Sealer sealer) {
            return sealer.seal(Sealer.Label.LAUNCHED,
                    new Launch.Answer(-1, "member " + hz.getName() + " is not an agent; it starts no JVMs").encode());
        }
        throw new IllegalStateException("member " + (hz == null ? "?" : hz.getName())
                + " was not started by multiprocessing4j: it starts no JVMs");
    }
}
