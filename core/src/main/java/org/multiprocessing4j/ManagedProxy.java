package org.multiprocessing4j;

/**
 * A proxy to an object held by a {@link Manager}'s server: every proxy a manager hands out
 * implements it (the map, list, namespace and value proxies, and the proxies of registered
 * types, which are {@link java.lang.reflect.Proxy} instances of the registered interface).
 *
 * <p>A proxy holds one reference to its object; the object lives in the server while any
 * process holds a reference. {@link #close()} gives it back at once; a proxy that is
 * garbage-collected gives it back then. A proxy passed to another process takes a reference
 * of its own there.
 *
 * @since 0.1
 */
public interface ManagedProxy extends AutoCloseable {

    /**
     * Gives this proxy's reference back; calls through it fail with
     * {@link IllegalStateException} from now on. Closing twice does nothing. Not forwarded to
     * the object, even when its interface has a {@code close()} of its own.
     */
    @Override
    void close();
}
