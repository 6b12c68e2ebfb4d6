package org.multiprocessing4j.internal.manager;

import java.io.Serial;
import java.io.Serializable;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.ManagedProxy;

/**
 * Proxies of registered types: {@link Proxy} instances of the registered interface and
 * {@link ManagedProxy}, whose calls run in the server. {@code equals} and {@code hashCode}
 * are the referent's identity (same manager, same object); {@code toString} is the
 * referent's, called in the server; {@code close} releases the proxy.
 */
public final class CustomProxies {
    private CustomProxies() {
    }

    /**
     * {@return the proxy}
     *
     * @param core the proxy's core; its type names the registered interface
     * @throws IllegalStateException if the interface cannot be loaded here
     */
    public static Object make(ProxyCore core) {
        Class<?> type;
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = CustomProxies.class.getClassLoader();
        }
        try {
            type = Class.forName(core.type(), false, loader);
        } catch (ClassNotFoundException e) {
            core.close();
            throw new IllegalStateException("a proxy of " + core.describe() + " cannot be made here: "
                    + core.type() + " is not on this process's class path", e);
        }
        return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {ManagedProxy.class, type},
                new Handler(core));
    }

    /**
     * The proxy's behaviour; serializable, so the proxy is.
     *
     * @param core the proxy's core
     */
    private record Handler(ProxyCore core) implements InvocationHandler, Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        public @Nullable Object invoke(Object proxy, Method method, @Nullable Object @Nullable [] args) throws Throwable {
            String name = method.getName();
            int arity = method.getParameterCount();
            if (name.equals("close") && arity == 0) {
                core.close();
                return null;
            }
            if (method.getDeclaringClass() == Object.class) {
                if (name.equals("equals")) {
                    Object other = args == null ? null : args[0];
                    return other != null && Proxy.isProxyClass(other.getClass())
                            && Proxy.getInvocationHandler(other) instanceof Handler h && h.core.sameReferent(core);
                }
                if (name.equals("hashCode")) {
                    return core.referentHash();
                }
            }
            return core.call(name, method.getParameterTypes(), args);
        }
    }
}
