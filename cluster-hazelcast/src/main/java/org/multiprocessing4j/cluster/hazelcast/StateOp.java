package org.multiprocessing4j.cluster.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import java.io.Serial;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.AuthenticationException;

/**
 * Runs one sealed {@link Op} on a state record, on the member that owns the record's
 * partition (and again on its backup). Before anything is decoded, the operation and the
 * stored record are checked against the authkey the member was started with (its
 * {@link Sealer}, in Hazelcast's user context); what fails is refused with an answer that
 * says so, and nothing changes. The answer is sealed too.
 *
 * <p>This class must be on every member's class path: Community Edition has no user-code
 * deployment.
 */
final class StateOp implements EntryProcessor<String, byte[], byte[]>, HazelcastInstanceAware {
    @Serial
    private static final long serialVersionUID = 1L;
    /** The key of the member's {@link Sealer} in Hazelcast's user context. */
    static final String SEALER = "multiprocessing4j.sealer";
    /** How long the record of a gone primitive stays, so late callers hear "gone". */
    private static final long GONE_TTL_MINUTES = 10;

    private final byte[] sealedOp;
    private transient @Nullable HazelcastInstance instance;

    StateOp(byte[] sealedOp) {
        this.sealedOp = sealedOp;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance hazelcastInstance) {
        this.instance = hazelcastInstance;
    }

    @Override
    public byte[] process(Map.Entry<String, byte[]> entry) {
        Sealer sealer = instance == null ? null : (Sealer) instance.getUserContext().get(SEALER);
        if (sealer == null) {
            // A member started by someone else: it cannot check, so it refuses (unsealed).
            throw new IllegalStateException("member " + (instance == null ? "?" : instance.getName())
                    + " was not started by multiprocessing4j: it has no authkey to check operations with");
        }
        Answer answer;
        try {
            answer = apply(sealer, entry);
        } catch (AuthenticationException | IllegalArgumentException refused) {
            answer = Answer.of(Answer.Status.REFUSED, refused.getMessage());
        }
        return sealer.seal(Sealer.Label.ANSWER, answer.encode());
    }

    private Answer apply(Sealer sealer, Map.Entry<String, byte[]> entry) {
        String key = entry.getKey();
        Op op = Op.decode(sealer.open(Sealer.Label.OP, sealedOp, "an operation on " + key));
        if (!op.key().equals(key) && !(op.code() == Op.Code.SESSION_GONE && op.key().equals(Op.ANY_KEY))) {
            throw new AuthenticationException("an operation signed for " + op.key() + " was sent to " + key);
        }
        byte[] stored = entry.getValue();
        State current = stored == null ? null : State.decode(sealer.open(Sealer.Label.STATE, stored, "the record of " + key));
        State.Step step = State.apply(current, op);
        if (step.changed() && step.state() != null) {
            byte[] sealed = sealer.seal(Sealer.Label.STATE, step.state().encode());
            if (step.state().gone && entry instanceof ExtendedMapEntry<String, byte[]> extended) {
                extended.setValue(sealed, GONE_TTL_MINUTES, TimeUnit.MINUTES);
            } else {
                entry.setValue(sealed);
            }
        }
        return step.answer();
    }
}
