package org.multiprocessing4j.internal.manager;

import java.util.ArrayList;
import java.util.List;
import org.multiprocessing4j.internal.manager.proto.Backends;
import org.multiprocessing4j.internal.manager.proto.ProxyInfo;
import org.multiprocessing4j.spi.BarrierBackend;
import org.multiprocessing4j.spi.ConditionBackend;
import org.multiprocessing4j.spi.EventBackend;
import org.multiprocessing4j.spi.LockBackend;
import org.multiprocessing4j.spi.QueueBackend;
import org.multiprocessing4j.spi.SemaphoreBackend;

/** The SPI backends a remote manager's primitives are made of: which ones, and their proxies. */
public final class RemoteBackends {
    private static final List<Class<?>> KINDS = List.of(LockBackend.class, SemaphoreBackend.class,
            EventBackend.class, ConditionBackend.class, BarrierBackend.class, QueueBackend.class);

    private RemoteBackends() {
    }

    /**
     * {@return the SPI interface it implements, which its proxies may call}
     *
     * @param backend a backend in the server
     * @throws IllegalArgumentException if it is none of them
     */
    static Class<?> spiOf(Object backend) {
        for (Class<?> k : KINDS) {
            if (k.isInstance(backend)) {
                return k;
            }
        }
        throw new IllegalArgumentException("a manager has no remote proxy for a " + backend.getClass().getName());
    }

    /**
     * {@return a proxy of each backend, in the answer's order}
     *
     * @param link   the server
     * @param answer its answer to a remote client's {@code PRIMITIVE} call
     * @throws IllegalStateException if the answer names a backend of no known kind
     */
    public static List<Object> proxies(ServerLink link, Backends answer) {
        List<Object> made = new ArrayList<>();
        for (ProxyInfo b : answer.getBackendList()) {
            made.add(proxy(link, b, answer.getServer()));
        }
        return made;
    }

    private static Object proxy(ServerLink link, ProxyInfo b, String server) {
        return proxy(link, b.getObject(), b.getType(), server);
    }

    /**
     * {@return the proxy}
     *
     * @param link   the server, as the proxy reaches it
     * @param id     the backend's id there
     * @param spi    its SPI interface
     * @param server the server's name for itself
     */
    static Object proxy(ServerLink link, long id, Class<?> spi, String server) {
        return proxy(link, id, spi.getName(), server);
    }

    private static Object proxy(ServerLink link, long id, String type, String server) {
        if (type.equals(LockBackend.class.getName())) {
            return new RemoteLockBackend(link, id, server);
        } else if (type.equals(SemaphoreBackend.class.getName())) {
            return new RemoteSemaphoreBackend(link, id, server);
        } else if (type.equals(EventBackend.class.getName())) {
            return new RemoteEventBackend(link, id, server);
        } else if (type.equals(ConditionBackend.class.getName())) {
            return new RemoteConditionBackend(link, id, server);
        } else if (type.equals(BarrierBackend.class.getName())) {
            return new RemoteBarrierBackend(link, id, server);
        } else if (type.equals(QueueBackend.class.getName())) {
            return new RemoteQueueBackend(link, id, server);
        }
        throw new IllegalStateException("the manager " + link.describe() + " answered a backend of unknown kind " + type);
    }
}
