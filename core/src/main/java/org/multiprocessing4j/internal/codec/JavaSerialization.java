package org.multiprocessing4j.internal.codec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.CodecException;

/**
 * The fallback of {@link org.multiprocessing4j.DefaultCodec}: Java serialization after a
 * {@link Tags#JAVA} tag, read back only through a {@link StreamFilter}.
 *
 * @since 0.1
 */
public final class JavaSerialization {
    private JavaSerialization() {}

    /**
     * Encodes a value with an {@link ObjectOutputStream}.
     *
     * @param value the value
     * @return the tag and the stream
     * @throws CodecException naming the value's class, and the class that is not serializable
     */
    public static byte[] encode(Object value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        bytes.write(Tags.JAVA);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        } catch (NotSerializableException e) {
            throw new CodecException(notSerializable(value.getClass(), e.getMessage()), e);
        } catch (IOException | RuntimeException e) {
            if (e instanceof CodecException codecException) {
                throw codecException;
            }
            throw new CodecException("cannot encode a value of class " + value.getClass().getName()
                    + ": " + e, e);
        } catch (StackOverflowError e) {
            throw new CodecException("cannot encode a value of class " + value.getClass().getName()
                    + ": it nests too deeply for Java serialization on this thread's stack", e);
        }
        return bytes.toByteArray();
    }

    /**
     * Decodes a Java serialization stream behind a filter.
     *
     * @param data   the bytes
     * @param offset where the stream starts (after the tag)
     * @param length its length
     * @param filter the codec's filter
     * @return the value
     * @throws CodecException if the stream is corrupt, or the filter rejects a class
     */
    public static @Nullable Object decode(byte[] data, int offset, int length, CodecFilter filter) {
        StreamFilter streamFilter = filter.newStreamFilter(length);
        FilteredObjectInputStream in = null;
        try {
            in = new FilteredObjectInputStream(new ByteArrayInputStream(data, offset, length), streamFilter);
            return in.readObject();
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            // Serialization goes on past a class it cannot load and fails later, often with a
            // ClassCastException (a lambda whose capturing class is missing): name the class.
            String missing = in == null ? null : in.missingClass;
            throw missing != null
                    ? new CodecException("cannot decode a Java-serialized value (" + length + " bytes): class "
                            + missing + " is not found by the thread's context class loader nor the codec's;"
                            + " is it on this process's class path?", e)
                    : decodeFailure(e, streamFilter, length);
        } catch (StackOverflowError e) {
            throw new CodecException("cannot decode a Java-serialized value (" + length
                    + " bytes): it nests too deeply for this thread's stack", e);
        } catch (AssertionError | LinkageError e) {
            // A class's own readObject may throw any Error; the stream, not the process, failed.
            throw new CodecException("cannot decode a Java-serialized value (" + length + " bytes): " + e, e);
        }
    }

    private static CodecException decodeFailure(Exception e, StreamFilter filter, int length) {
        if (filter.rejection() != null) {
            return filter.rejected(e);
        }
        String prefix = "cannot decode a Java-serialized value (" + length + " bytes): ";
        return switch (e) {
            case CodecException codecException -> codecException;
            case ClassNotFoundException c -> new CodecException(prefix + "class " + c.getMessage()
                    + " is not found by the thread's context class loader nor the codec's;"
                    + " is it on this process's class path?", e);
            case InvalidClassException c -> new CodecException(prefix + "class " + c.classname
                    + " differs from the sender's: " + c.getMessage(), e);
            case EOFException eof -> new CodecException(prefix + "truncated", e);
            default -> new CodecException(prefix + e, e);
        };
    }

    private static String notSerializable(Class<?> top, @Nullable String offending) {
        String message = "cannot encode a value of class " + top.getName() + ": ";
        if (top.getName().equals(offending)) {
            message += "it is not Serializable";
        } else if (offending != null && offending.contains(" (")) {
            // a class's own writeObject refused, saying why: "C (a C cannot be passed ...)"
            message += "it refers to " + offending;
        } else {
            message += "it refers to " + offending + ", which is not Serializable";
        }
        if (offending != null && offending.contains("$$Lambda")) {
            message += " (a lambda is Serializable only when its functional interface is; use one"
                    + " that extends Serializable, or cast: (Runnable & Serializable) () -> ...)";
        } else if (top.getEnclosingClass() != null
                && top.getEnclosingClass().getName().equals(offending)) {
            message += " (an inner or anonymous class refers to its enclosing instance; make it"
                    + " a static nested class, a record or a lambda)";
        }
        return message;
    }

    /** Resolves classes like {@link ClassResolver} and sets its filter before anything is read. */
    private static final class FilteredObjectInputStream extends ObjectInputStream {
        private @Nullable String missingClass;

        FilteredObjectInputStream(InputStream in, StreamFilter filter) throws IOException {
            super(in);
            setObjectInputFilter(filter);
            if (getObjectInputFilter() == null) {
                throw new IllegalStateException("the JVM-wide serial filter factory"
                        + " (jdk.serialFilterFactory) dropped the codec's filter");
            }
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc)
                throws IOException, ClassNotFoundException {
            try {
                return ClassResolver.load(desc.getName());
            } catch (ClassNotFoundException e) {
                try {
                    return super.resolveClass(desc); // primitive types ("int") are resolved there
                } catch (ClassNotFoundException notFound) {
                    if (missingClass == null) {
                        missingClass = desc.getName();
                    }
                    throw notFound;
                }
            }
        }
    }
}
