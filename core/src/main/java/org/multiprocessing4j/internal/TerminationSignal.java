package org.multiprocessing4j.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * SIGTERM ends a process that has children at once, terminating its children rather than
 * joining them (Python's default SIGTERM kills without exit handlers; a JVM would run its
 * shutdown hooks, and ours would wait for non-daemon children). Installed when the first child
 * starts, through {@code sun.misc.Signal} from the {@code jdk.unsupported} module, by reflection
 * so that the build's "no internal API" warnings stay errors. If that module is absent, SIGTERM
 * keeps the JVM's default handling.
 */
final class TerminationSignal {
    private static final int EXIT_ON_SIGTERM = 128 + 15;
    private static final AtomicBoolean INSTALLED = new AtomicBoolean();

    private TerminationSignal() {
    }

    static void installOnce(ProcessRuntime rt) {
        if (!INSTALLED.compareAndSet(false, true)) {
            return;
        }
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            InvocationHandler onSignal = (proxy, method, args) -> handle(rt, method, proxy, args);
            Object handler = Proxy.newProxyInstance(TerminationSignal.class.getClassLoader(),
                    new Class<?>[] {handlerType}, onSignal);
            Object term = signal.getConstructor(String.class).newInstance("TERM");
            signal.getMethod("handle", signal, handlerType).invoke(null, term, handler);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError unavailable) {
            // the JVM's own SIGTERM handling stays
        }
    }

    private static Object handle(ProcessRuntime rt, Method method, Object proxy, Object[] args) {
        return switch (method.getName()) {
            case "handle" -> {
                rt.markTerminated();
                Thread.ofPlatform().name("multiprocessing4j-sigterm").start(() -> System.exit(EXIT_ON_SIGTERM));
                yield null;
            }
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            default -> "multiprocessing4j SIGTERM handler";
        };
    }
}
