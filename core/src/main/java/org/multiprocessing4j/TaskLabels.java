package org.multiprocessing4j;

import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Names a pool task for messages: {@code Squares::square} for a method reference,
 * {@code PoolTest.lambda$map$3} for a lambda, the class's simple name for anything else.
 * Serializable lambdas say what they are through {@code writeReplace}; where that cannot be
 * read, the class name stands in.
 */
final class TaskLabels {
    private TaskLabels() {
    }

    /** One label per class: every instance of a lambda's class is that same lambda. */
    private static final ClassValue<AtomicReference<String>> LABELS = new ClassValue<>() {
        @Override
        protected AtomicReference<String> computeValue(Class<?> type) {
            return new AtomicReference<>();
        }
    };

    static String of(Object task) {
        AtomicReference<String> cached = LABELS.get(task.getClass());
        String label = cached.get();
        if (label == null) {
            label = read(task);
            cached.set(label);
        }
        return label;
    }

    private static String read(Object task) {
        Class<?> c = task.getClass();
        if (c.isSynthetic() || c.isHidden()) {
            try {
                Method writeReplace = c.getDeclaredMethod("writeReplace");
                writeReplace.setAccessible(true);
                if (writeReplace.invoke(task) instanceof SerializedLambda l) {
                    String owner = simpleName(l.getImplClass());
                    String method = l.getImplMethodName();
                    return method.startsWith("lambda$") ? owner + "." + method : owner + "::" + method;
                }
            } catch (ReflectiveOperationException | RuntimeException unreadable) {
                // the class name below
            }
        }
        String name = c.getName();
        int slash = name.indexOf('/');
        return simpleName(slash < 0 ? name : name.substring(0, slash));
    }

    private static String simpleName(String binaryName) {
        String n = binaryName.replace('/', '.');
        return n.substring(n.lastIndexOf('.') + 1);
    }
}
