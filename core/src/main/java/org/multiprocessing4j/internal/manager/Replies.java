package org.multiprocessing4j.internal.manager;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.Codec;
import org.multiprocessing4j.MultiprocessingException;
import org.multiprocessing4j.internal.ProcessRuntime;
import org.multiprocessing4j.internal.manager.proto.ManagerCall;
import org.multiprocessing4j.internal.manager.proto.ManagerReply;
import org.multiprocessing4j.internal.pool.FailureReport;

/** Makes calls to a manager's server and turns its answers into results or exceptions. */
public final class Replies {
    private Replies() {
    }

    /**
     * Makes a call that must not be interrupted half way: an interrupt is kept for after it,
     * and the call is made again if the server dropped it (then it had not run).
     *
     * @param link the server
     * @param call the call
     * @return the answer
     */
    public static ManagerReply callUninterruptibly(ServerLink link, ManagerCall call) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return link.call(call);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * {@return the answer's value; a proxy (of a registered interface) when it names a referent}
     *
     * @param link  the server that answered
     * @param reply its answer
     * @throws Throwable the exception thrown in the server, with the server's stack trace and
     *                   then the caller's; {@link IllegalStateException} if the server could
     *                   not take the call; {@link InterruptedException} if it was cancelled
     */
    public static @Nullable Object result(ServerLink link, ManagerReply reply) throws Throwable {
        return switch (reply.getResultCase()) {
            case VALUE -> RemoteLink.receiving(link, () -> codec().decode(reply.getValue().toByteArray()));
            case PROXY -> CustomProxies.make(ProxyCore.adopt(link, reply.getProxy()));
            case FAILURE -> throw thrown(link, reply.getFailure().toByteArray());
            case ERROR -> throw new IllegalStateException(reply.getError() + " [manager " + link.describe() + "]");
            case CANCELLED -> throw new InterruptedException("the call to the manager " + link.describe()
                    + " was cancelled");
            case BACKENDS -> throw new IllegalStateException("the manager " + link.describe()
                    + " answered a primitive's backends where a value was expected");
            case WELCOME -> throw new IllegalStateException("the manager " + link.describe()
                    + " answered a welcome where a value was expected");
            case RESULT_NOT_SET -> throw new IllegalStateException("the manager " + link.describe() + " answered nothing");
        };
    }

    /**
     * {@link #result} for calls that throw no checked exception: one that comes anyway is
     * wrapped in a {@link MultiprocessingException}, and an interrupt is kept.
     *
     * @param link  the server that answered
     * @param reply its answer
     * @param what  the call, for the wrapper's message
     * @return the answer's value
     */
    public static @Nullable Object uncheckedResult(ServerLink link, ManagerReply reply, String what) {
        try {
            return result(link, reply);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MultiprocessingException(what + " was cancelled", e);
        } catch (Throwable checked) {
            throw new MultiprocessingException(what + " threw " + checked, checked);
        }
    }

    /**
     * The server's exception, whose stack trace is the server's followed by the caller's (as
     * Java RMI does), with a frame naming the manager in between.
     */
    private static Throwable thrown(ServerLink link, byte[] encodedReport) {
        Codec codec = codec();
        if (!(codec.decode(encodedReport) instanceof FailureReport report)) {
            return new IllegalStateException("the manager " + link.describe() + " answered a failure that is not one");
        }
        Throwable t = report.decode(codec);
        StackTraceElement[] server = t.getStackTrace();
        StackTraceElement[] here = new Throwable().getStackTrace();
        StackTraceElement[] both = Arrays.copyOf(server, server.length + 1 + here.length);
        both[server.length] = new StackTraceElement("<<manager " + link.describe() + ">>", "call", null, -1);
        System.arraycopy(here, 0, both, server.length + 1, here.length);
        t.setStackTrace(both);
        return t;
    }

    private static Codec codec() {
        return ProcessRuntime.current().context().codec();
    }
}
