package org.multiprocessing4j.internal.codec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.CodecException;

/**
 * The {@link Tags#LAMBDA} fast path of {@link org.multiprocessing4j.DefaultCodec}: a
 * serializable lambda (or method reference) whose captured values are all strings, boxed
 * primitives, nulls or lambdas of the same kind, as its {@link SerializedLambda}'s fields and its captured values in the
 * codec's own encodings, without an {@code ObjectOutputStream} (the common task of a pool or a
 * process executor, {@code () -> work(i)}: Java serialization took about 5 µs to encode it
 * and 15 µs to decode it, warmed).
 *
 * <p>Decoding does what Java serialization does with a lambda and nothing more: the capturing
 * class is loaded like any class of a stream ({@link ClassResolver}) and passes the codec's
 * filter (as does {@link SerializedLambda}), then the capturing class's own
 * {@code $deserializeLambda$} (made by the compiler; it accepts only lambdas that the class
 * really has) makes the lambda from the {@link SerializedLambda}. A lambda whose capturing
 * class this code may not reach (a module that does not open its package) takes Java
 * serialization instead, decided on the encoding side; so does one that captures anything
 * else (an object's identity, shared between captured values, survives only there).
 *
 * <p>Payload, after the tag: eight strings in {@link DataOutputStream#writeUTF} form (the
 * capturing class, the functional interface's class, method name and signature, the
 * implementation's class, method name and signature, the instantiated method type), the
 * implementation's method kind and the number of captured values (ints), then each captured
 * value as an int length and its codec encoding (a captured lambda's is this again, nested at
 * most {@value #MAX_DEPTH} deep).
 *
 * @since 0.1
 */
public final class Lambdas {
    /** A lambda class's {@code writeReplace}, when it is a serializable lambda. */
    private static final ClassValue<Optional<LambdaClass>> LAMBDA_CLASSES = new ClassValue<>() {
        @Override
        protected Optional<LambdaClass> computeValue(Class<?> type) {
            if (!type.isHidden() || !java.io.Serializable.class.isAssignableFrom(type)) {
                return Optional.empty();
            }
            try {
                Method m = type.getDeclaredMethod("writeReplace");
                if (m.getReturnType() != Object.class) {
                    return Optional.empty();
                }
                m.setAccessible(true);
                return Optional.of(new LambdaClass(MethodHandles.lookup().unreflect(m)));
            } catch (ReflectiveOperationException | RuntimeException e) {
                return Optional.empty();
            }
        }
    };

    /** A capturing class's {@code $deserializeLambda$}, when this code may call it. */
    private static final ClassValue<Optional<MethodHandle>> DESERIALIZE = new ClassValue<>() {
        @Override
        protected Optional<MethodHandle> computeValue(Class<?> type) {
            try {
                Method m = type.getDeclaredMethod("$deserializeLambda$", SerializedLambda.class);
                m.setAccessible(true);
                return Optional.of(MethodHandles.lookup().unreflect(m));
            } catch (ReflectiveOperationException | RuntimeException e) {
                return Optional.empty();
            }
        }
    };

    /** How deep lambdas captured by lambdas may nest in a decode (a pool's wrapper is one level). */
    private static final int MAX_DEPTH = 16;

    private Lambdas() {}

    /**
     * Encodes a value on this path if it is a serializable lambda that may take it.
     *
     * @param value   any value
     * @param encoder the codec's encoding of a captured value
     * @return the tag and payload, or null if the value does not take this path
     */
    public static byte @Nullable [] encode(Object value, Function<@Nullable Object, byte[]> encoder) {
        return encode(value, encoder, 0);
    }

    private static byte @Nullable [] encode(Object value, Function<@Nullable Object, byte[]> encoder, int depth) {
        Class<?> type = value.getClass();
        if (!type.isHidden()) {
            return null;
        }
        Optional<LambdaClass> lambdaClass = LAMBDA_CLASSES.get(type);
        if (lambdaClass.isEmpty()) {
            return null;
        }
        LambdaClass c = lambdaClass.get();
        SerializedLambda lambda;
        try {
            if (!(c.writeReplace.invoke(value) instanceof SerializedLambda l)) {
                return null;
            }
            lambda = l;
        } catch (Throwable e) {
            return null; // Java serialization will say what is wrong
        }
        for (int i = 0; i < lambda.getCapturedArgCount(); i++) {
            Object arg = lambda.getCapturedArg(i);
            if (!simple(arg) && LAMBDA_CLASSES.get(arg.getClass()).isEmpty()) {
                return null;
            }
        }
        byte[] shape = c.shape;
        if (shape == null) {
            shape = shape(type, lambda);
            c.shape = shape;
        }
        if (shape.length == 0) {
            return null;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(shape.length + 16 * lambda.getCapturedArgCount() + 5);
        bytes.write(Tags.LAMBDA);
        bytes.writeBytes(shape);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(lambda.getCapturedArgCount());
            for (int i = 0; i < lambda.getCapturedArgCount(); i++) {
                Object captured = lambda.getCapturedArg(i);
                byte[] arg = simple(captured) ? encoder.apply(captured)
                        : depth < MAX_DEPTH ? encode(captured, encoder, depth + 1) : null;
                if (arg == null) {
                    return null; // a captured lambda that does not take this path: all in one stream
                }
                out.writeInt(arg.length);
                out.write(arg);
            }
        } catch (IOException e) {
            throw new IllegalStateException("a byte array stream failed", e);
        }
        return bytes.toByteArray();
    }

    /**
     * {@return what every lambda of a class writes first (the eight strings and the kind): the
     * same for each, so made once; empty if the class does not take this path}
     */
    private static byte[] shape(Class<?> type, SerializedLambda lambda) {
        String capturingName = lambda.getCapturingClass().replace('/', '.');
        Class<?> capturing = type.getNestHost();
        if (!capturing.getName().equals(capturingName)) {
            // A lambda of a nested class: its nest host is the outermost class. The capturing
            // class is in the lambda class's own loader (a lambda is defined in its capturer's).
            try {
                capturing = Class.forName(capturingName, false, type.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                return new byte[0];
            }
        }
        if (DESERIALIZE.get(capturing).isEmpty()) {
            return new byte[0];
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(160);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(lambda.getCapturingClass());
            out.writeUTF(lambda.getFunctionalInterfaceClass());
            out.writeUTF(lambda.getFunctionalInterfaceMethodName());
            out.writeUTF(lambda.getFunctionalInterfaceMethodSignature());
            out.writeUTF(lambda.getImplClass());
            out.writeUTF(lambda.getImplMethodName());
            out.writeUTF(lambda.getImplMethodSignature());
            out.writeUTF(lambda.getInstantiatedMethodType());
            out.writeInt(lambda.getImplMethodKind());
        } catch (UTFDataFormatException e) {
            return new byte[0]; // a name beyond 64 KiB: Java serialization copes
        } catch (IOException e) {
            throw new IllegalStateException("a byte array stream failed", e);
        }
        return bytes.toByteArray();
    }

    /** A serializable lambda class: its {@code writeReplace}, and its shape once known. */
    private static final class LambdaClass {
        final MethodHandle writeReplace;
        /** {@link #shape}'s answer, once made; a racing thread makes an equal one. */
        volatile byte @Nullable [] shape;

        LambdaClass(MethodHandle writeReplace) {
            this.writeReplace = writeReplace;
        }
    }

    /** {@return whether the encoder writes captured values with this tag} */
    private static boolean written(byte tag) {
        return switch (tag) {
            case Tags.NULL, Tags.STRING, Tags.STRING_UTF16, Tags.INT, Tags.LONG, Tags.DOUBLE, Tags.FLOAT, Tags.SHORT,
                    Tags.BYTE, Tags.CHAR, Tags.FALSE, Tags.TRUE, Tags.LAMBDA -> true;
            default -> false;
        };
    }

    /**
     * {@return whether a captured value is immutable and has a fast path of its own} A captured
     * lambda (a pool's wrapper around the user's task) is let through by the caller, and
     * taken on this path when its own captured values are.
     */
    private static boolean simple(@Nullable Object arg) {
        return arg == null || arg instanceof String || arg instanceof Integer || arg instanceof Long
                || arg instanceof Double || arg instanceof Float || arg instanceof Short || arg instanceof Byte
                || arg instanceof Character || arg instanceof Boolean;
    }

    /**
     * Decodes a {@link Tags#LAMBDA} payload.
     *
     * @param data    the bytes
     * @param offset  where the payload starts (after the tag)
     * @param length  its length
     * @param filter  the codec's filter, which must allow the capturing class
     * @param decoder the codec's decoding of a captured value
     * @return the lambda
     * @throws CodecException if the payload is corrupt, the capturing class is missing or
     *                        refused, or the class has no such lambda
     */
    public static Object decode(byte[] data, int offset, int length, CodecFilter filter,
            Function<byte[], @Nullable Object> decoder) {
        return decode(data, offset, length, filter, decoder, 0);
    }

    private static Object decode(byte[] data, int offset, int length, CodecFilter filter,
            Function<byte[], @Nullable Object> decoder, int depth) {
        String capturingName = "?";
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(data, offset, length));
            capturingName = in.readUTF().replace('/', '.');
            String interfaceClass = in.readUTF();
            String interfaceMethod = in.readUTF();
            String interfaceSignature = in.readUTF();
            String implClass = in.readUTF();
            String implMethod = in.readUTF();
            String implSignature = in.readUTF();
            String instantiated = in.readUTF();
            int implKind = in.readInt();
            int count = in.readInt();
            if (count < 0 || count > length) {
                throw new CodecException("cannot decode a LAMBDA value of " + capturingName + ": " + count
                        + " captured values in " + length + " bytes; the bytes are corrupt");
            }
            Object[] captured = new Object[count];
            for (int i = 0; i < count; i++) {
                int n = in.readInt();
                if (n < 1 || n > in.available()) {
                    throw new CodecException("cannot decode a LAMBDA value of " + capturingName + ": captured value "
                            + i + " of " + n + " bytes where " + in.available() + " are left; the bytes are corrupt");
                }
                byte[] arg = in.readNBytes(n);
                if (!written(arg[0])) {
                    throw new CodecException("cannot decode a LAMBDA value of " + capturingName + ": captured value "
                            + i + " is a " + Tags.name(arg[0]) + " value, which this path never writes");
                }
                if (arg[0] != Tags.LAMBDA) {
                    captured[i] = decoder.apply(arg);
                } else if (depth < MAX_DEPTH) {
                    captured[i] = decode(arg, 1, n - 1, filter, decoder, depth + 1);
                } else {
                    throw new CodecException("cannot decode a LAMBDA value of " + capturingName
                            + ": lambdas captured within lambdas nest deeper than " + MAX_DEPTH);
                }
            }
            if (in.available() != 0) {
                throw new CodecException("cannot decode a LAMBDA value of " + capturingName + ": "
                        + in.available() + " trailing bytes");
            }
            Class<?> capturing;
            try {
                capturing = ClassResolver.load(capturingName);
            } catch (ClassNotFoundException e) {
                throw new CodecException("cannot decode a lambda: its capturing class " + capturingName
                        + " is not found by the thread's context class loader nor the codec's;"
                        + " is it on this process's class path?", e);
            }
            // The classes Java serialization's filter would see: the lambda's serial form, its
            // captured values' array and classes (a captured lambda's are judged in its own
            // decode), and the capturing class.
            StreamFilter check = filter.newStreamFilter(length);
            check.checkClass(SerializedLambda.class);
            check.checkClass(Object[].class);
            for (Object value : captured) {
                if (value != null && !value.getClass().isHidden()) {
                    check.checkClass(value.getClass());
                }
            }
            check.checkClass(capturing);
            Optional<MethodHandle> deserialize = DESERIALIZE.get(capturing);
            if (deserialize.isEmpty()) {
                throw new CodecException("cannot decode a lambda of " + capturingName
                        + ": its $deserializeLambda$ is missing or not accessible here");
            }
            SerializedLambda lambda = new SerializedLambda(capturing, interfaceClass, interfaceMethod,
                    interfaceSignature, implKind, implClass, implMethod, implSignature, instantiated, captured);
            return deserialize.get().invoke(lambda);
        } catch (CodecException e) {
            throw e;
        } catch (EOFException e) {
            throw new CodecException("cannot decode a LAMBDA value of " + length + " bytes: truncated", e);
        } catch (Throwable e) {
            if (e instanceof VirtualMachineError fatal) {
                throw fatal;
            }
            throw new CodecException("cannot decode a lambda of " + capturingName + ": " + e, e);
        }
    }
}
