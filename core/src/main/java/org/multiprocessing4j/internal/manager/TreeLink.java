package org.multiprocessing4j.internal.manager;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.Serial;
import org.multiprocessing4j.ProcessGoneException;
import org.multiprocessing4j.internal.ProcessRuntime;
import org.multiprocessing4j.internal.broker.FailureKind;
import org.multiprocessing4j.internal.broker.OnBehalf;
import org.multiprocessing4j.internal.broker.RemoteFailure;
import org.multiprocessing4j.internal.broker.RemoteRef;
import org.multiprocessing4j.internal.manager.proto.ManagerCall;
import org.multiprocessing4j.internal.manager.proto.ManagerReply;

/**
 * A manager's server reached through the broker: its {@link ManagerServer}'s handle, usable in
 * every process of the tree (calls are routed like any other object's).
 *
 * @param ref  the server's handle
 * @param name the manager's name, for messages
 */
public record TreeLink(RemoteRef ref, String name) implements ServerLink {
    @Serial
    private static final long serialVersionUID = 1L;
    /** The broker op every manager call travels under; the manager's own op is inside. */
    private static final int OP = 1;

    @Override
    public ManagerReply call(ManagerCall call) throws InterruptedException {
        ByteString answer;
        try {
            answer = ref.call(OP, call.toByteString(), -1);
        } catch (RemoteFailure f) {
            if (f.kind() == FailureKind.CANCELLED) {
                throw new InterruptedException(f.getMessage());
            }
            if (f.kind() == FailureKind.TOO_LARGE) {
                throw new IllegalArgumentException("the manager " + describe() + ": " + f.getMessage(), f);
            }
            if (f.kind() == FailureKind.GONE || f.kind() == FailureKind.NO_SUCH_OBJECT) {
                throw new ProcessGoneException("the manager " + describe() + " is gone: " + f.getMessage());
            }
            throw new IllegalStateException("the manager " + describe() + " failed: " + f.getMessage(), f);
        }
        try {
            return ManagerReply.parseFrom(answer);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("the manager " + describe() + " answered what does not parse: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void post(ManagerCall call) {
        try {
            ProcessRuntime.current().router().post(ref.owner(), ref.object(), OP, call.toByteString());
        } catch (RuntimeException unreachable) {
            // the server is gone, or this process is ending: nothing to release any more
        }
    }

    /** {@return this; for a remote client (a map's proxy it reads), the link it reads on} */
    @Serial
    private Object writeReplace() {
        return OnBehalf.isExporting() ? RemoteLink.ownLink() : this;
    }

    @Override
    public String describe() {
        return name + " (" + ref.ownerName() + ")";
    }
}
