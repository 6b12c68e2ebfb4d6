package org.multiprocessing4j.internal.codec;

import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Which classes {@link org.multiprocessing4j.DefaultCodec} deserializes when no filter pattern
 * decides: the application's own classes, and from the JDK only value types.
 *
 * <p>An application class is one defined by the application (system) class loader or a
 * descendant of it, or by a loader on the current thread's context class loader's chain. The
 * allowed JDK classes are primitives, strings and boxes, enums, throwables (exceptions travel
 * between processes), {@code java.math}, {@code java.time}, the common {@code java.util} and
 * {@code java.util.concurrent} collections and their serial forms, atomics, {@code UUID},
 * {@code URI}, socket addresses ({@code InetSocketAddress}, {@code InetAddress} and its two
 * kinds, {@code UnixDomainSocketAddress}: a {@code Listener}'s or a manager's address is passed
 * to children; reading one resolves no name), {@code java.lang.reflect.Proxy} (a manager's proxies of registered interfaces
 * are proxy instances; their handler is judged on its own, so the JDK's annotation handler of
 * the known gadget chains stays refused), {@code Comparator}'s own comparators and a few more;
 * arrays are judged by their element type, a lambda's hidden class by the class that made it. Everything else from the
 * JDK is refused, which stops the known deserialization gadget chains made of JDK classes alone.
 * {@code java.net.URL} is refused on purpose: a {@code HashMap} key of that class resolves its
 * host name while it is read (the "URLDNS" probe).
 *
 * <p>This rule does not protect against a hostile peer when the class path holds gadget
 * libraries: the application's classes are all allowed. The authkey is what keeps strangers
 * off the links.
 *
 * @since 0.1
 */
public final class DefaultClassRule {
    private static final Set<String> JDK_CLASSES = Set.of(
            "java.lang.Object", "java.lang.String", "java.lang.Boolean", "java.lang.Byte",
            "java.lang.Character", "java.lang.Short", "java.lang.Integer", "java.lang.Long",
            "java.lang.Float", "java.lang.Double", "java.lang.Number", "java.lang.Enum",
            "java.lang.Record", "java.lang.StackTraceElement",
            "java.lang.String$CaseInsensitiveComparator",
            "java.lang.invoke.SerializedLambda",
            "java.lang.reflect.Proxy",
            "java.net.URI",
            "java.net.SocketAddress", "java.net.InetSocketAddress", "java.net.InetAddress",
            "java.net.Inet4Address", "java.net.Inet6Address",
            "java.net.UnixDomainSocketAddress", "java.net.UnixDomainSocketAddress$Ser",
            "java.util.ArrayList", "java.util.LinkedList", "java.util.Vector", "java.util.Stack",
            "java.util.Map$Entry", "java.util.HashMap", "java.util.LinkedHashMap", "java.util.TreeMap",
            "java.util.Hashtable", "java.util.Properties", "java.util.IdentityHashMap",
            "java.util.HashSet", "java.util.LinkedHashSet", "java.util.TreeSet",
            "java.util.ArrayDeque", "java.util.PriorityQueue",
            "java.util.EnumMap", "java.util.EnumSet", "java.util.EnumSet$SerializationProxy",
            "java.util.RegularEnumSet", "java.util.JumboEnumSet",
            "java.util.CollSer", "java.util.Arrays$ArrayList",
            "java.util.AbstractMap$SimpleEntry", "java.util.AbstractMap$SimpleImmutableEntry",
            "java.util.UUID", "java.util.BitSet", "java.util.Date", "java.util.Locale",
            "java.util.Currency",
            "java.util.concurrent.ConcurrentHashMap",
            "java.util.concurrent.ConcurrentHashMap$Segment",
            "java.util.concurrent.locks.ReentrantLock",
            "java.util.concurrent.locks.ReentrantLock$Sync",
            "java.util.concurrent.locks.ReentrantLock$NonfairSync",
            "java.util.concurrent.locks.AbstractQueuedSynchronizer",
            "java.util.concurrent.locks.AbstractOwnableSynchronizer",
            "java.util.concurrent.ConcurrentSkipListMap",
            "java.util.concurrent.ConcurrentSkipListSet",
            "java.util.concurrent.ConcurrentLinkedQueue",
            "java.util.concurrent.ConcurrentLinkedDeque",
            "java.util.concurrent.CopyOnWriteArrayList",
            "java.util.concurrent.CopyOnWriteArraySet",
            "java.util.concurrent.ConcurrentHashMap$KeySetView",
            "java.util.concurrent.ConcurrentHashMap$CollectionView",
            "java.util.concurrent.LinkedBlockingQueue",
            "java.util.concurrent.LinkedBlockingDeque",
            "java.util.concurrent.ArrayBlockingQueue",
            "java.util.concurrent.PriorityBlockingQueue",
            "java.util.concurrent.LinkedTransferQueue",
            "java.util.concurrent.locks.ReentrantLock$FairSync",
            "java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject",
            // Comparators: Comparator's own lambdas (comparing, thenComparing, ...) name it as
            // their capturing class; the others are its serializable helpers
            "java.util.Comparator", "java.util.Comparators$NaturalOrderComparator",
            "java.util.Comparators$NullComparator");

    private static final List<String> JDK_PREFIXES = List.of(
            "java.math.", "java.time.", "java.util.Collections$",
            "java.util.ImmutableCollections$", "java.util.concurrent.atomic.");

    private DefaultClassRule() {}

    /**
     * Says why the default rule refuses a class.
     *
     * @param type the class, possibly an array class
     * @return null if the class is allowed, else a phrase that says why not
     */
    public static @Nullable String reasonToRefuse(Class<?> type) {
        Class<?> element = elementType(type);
        if (element.isHidden()) {
            // A lambda's class (C$$Lambda/0x...) is judged as the class that made it: a
            // comparator Comparator.comparing made is as safe as Comparator itself.
            element = element.getNestHost();
        }
        if (element.isPrimitive()) {
            return null;
        }
        @Nullable ClassLoader loader = element.getClassLoader();
        if (loader == null || loader == ClassLoader.getPlatformClassLoader()) {
            return isAllowedJdkClass(element) ? null
                    : "it is a JDK class that is not on the allow list of value types";
        }
        return isApplicationLoader(loader) ? null
                : "its class loader (" + loader + ") is neither the application's nor on the"
                        + " thread's context class loader chain";
    }

    /**
     * Returns what an array is made of.
     *
     * @param type a class
     * @return the class, or the innermost element type of an array class
     */
    public static Class<?> elementType(Class<?> type) {
        Class<?> element = type;
        while (element.isArray()) {
            element = element.componentType();
        }
        return element;
    }

    private static boolean isAllowedJdkClass(Class<?> type) {
        if (Throwable.class.isAssignableFrom(type) || Enum.class.isAssignableFrom(type)) {
            return true;
        }
        String name = type.getName();
        if (JDK_CLASSES.contains(name)) {
            return true;
        }
        for (String prefix : JDK_PREFIXES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isApplicationLoader(ClassLoader loader) {
        if (isSelfOrAncestor(ClassLoader.getSystemClassLoader(), loader)) {
            return true;
        }
        @Nullable ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null
                && (isSelfOrAncestor(context, loader) || isSelfOrAncestor(loader, context));
    }

    /** Whether {@code ancestor} is {@code loader} or one of its parents. */
    private static boolean isSelfOrAncestor(ClassLoader ancestor, ClassLoader loader) {
        for (@Nullable ClassLoader l = loader; l != null; l = l.getParent()) {
            if (l == ancestor) {
                return true;
            }
        }
        return false;
    }
}
