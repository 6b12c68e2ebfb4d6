package org.multiprocessing4j.internal.codec;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.CodecException;

/**
 * The protobuf fast path: the message's class name and its bytes, read back with the generated
 * class's static {@code parseFrom}. The class name passes the codec's filter after the class is
 * loaded and before it is initialised, as in Java serialization; only subclasses of
 * {@link Message} are parsed.
 *
 * @since 0.1
 */
public final class ProtobufValues {
    private static final int NAME_LENGTH_BYTES = 2;
    private static final int MAX_NAME_BYTES = 0xFFFF;

    private static final ClassValue<MessageClass> CLASSES = new ClassValue<>() {
        @Override
        protected MessageClass computeValue(Class<?> type) {
            return MessageClass.of(type);
        }
    };

    private ProtobufValues() {}

    /**
     * Whether a message can take the fast path: its class has a static
     * {@code parseFrom(ByteBuffer)}, as generated classes do ({@code DynamicMessage} does not).
     *
     * @param message the message
     * @return true if {@link #encode(Message)} may be used
     */
    public static boolean isParsable(Message message) {
        return CLASSES.get(message.getClass()).parseFrom() != null;
    }

    /**
     * Encodes a message whose class {@linkplain #isParsable is parsable}.
     *
     * @param message the message
     * @return the tagged encoding
     */
    public static byte[] encode(Message message) {
        byte[] name = CLASSES.get(message.getClass()).name();
        int size = message.getSerializedSize();
        int start = 1 + NAME_LENGTH_BYTES + name.length;
        byte[] out = new byte[start + size];
        out[0] = Tags.PROTOBUF;
        BigEndian.putShort(out, 1, (short) name.length);
        System.arraycopy(name, 0, out, 1 + NAME_LENGTH_BYTES, name.length);
        CodedOutputStream coded = CodedOutputStream.newInstance(out, start, size);
        try {
            message.writeTo(coded);
        } catch (IOException e) {
            throw new CodecException("cannot encode a protobuf message of class "
                    + message.getClass().getName() + ": " + e, e);
        }
        coded.checkNoSpaceLeft();
        return out;
    }

    /**
     * Decodes a {@link Tags#PROTOBUF} payload.
     *
     * @param data   the bytes
     * @param offset where the payload starts (after the tag)
     * @param length its length
     * @param filter the codec's filter, which must allow the class
     * @return the message
     * @throws CodecException if the payload is truncated or malformed, or the class is refused
     */
    public static Message decode(byte[] data, int offset, int length, CodecFilter filter) {
        if (length < NAME_LENGTH_BYTES) {
            throw new CodecException("cannot decode a PROTOBUF value: truncated, expected "
                    + NAME_LENGTH_BYTES + " bytes of class-name length, got " + length);
        }
        int nameLength = Short.toUnsignedInt(BigEndian.getShort(data, offset));
        int available = length - NAME_LENGTH_BYTES;
        if (nameLength > available) {
            throw new CodecException("cannot decode a PROTOBUF value: truncated class name,"
                    + " expected " + nameLength + " bytes, got " + available);
        }
        String name = new String(data, offset + NAME_LENGTH_BYTES, nameLength, UTF_8);
        Class<?> type = load(name);
        filter.newStreamFilter(length).checkClass(type);
        @Nullable MethodHandle parseFrom = CLASSES.get(type).parseFrom();
        if (parseFrom == null) {
            throw new CodecException("cannot decode a PROTOBUF value: class " + name
                    + " is not a generated protobuf message (no static parseFrom)");
        }
        int start = offset + NAME_LENGTH_BYTES + nameLength;
        return parse(parseFrom, name, ByteBuffer.wrap(data, start, available - nameLength));
    }

    private static Class<?> load(String name) {
        try {
            return ClassResolver.load(name);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new CodecException("cannot decode a PROTOBUF value: class " + name + " is not"
                    + " found by the thread's context class loader nor the codec's; is it on"
                    + " this process's class path?", e);
        }
    }

    private static Message parse(MethodHandle parseFrom, String name, ByteBuffer bytes) {
        try {
            return (Message) parseFrom.invokeExact(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new CodecException("cannot decode a PROTOBUF value: malformed message of class "
                    + name + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new CodecException("cannot decode a PROTOBUF value of class " + name + ": " + e,
                    e);
        } catch (Error e) {
            throw e;
        } catch (Throwable e) {
            throw new CodecException("cannot decode a PROTOBUF value of class " + name + ": " + e,
                    e);
        }
    }

    /**
     * What the fast path needs of a class: its name in UTF-8, and its static
     * {@code parseFrom(ByteBuffer)} as a {@code (ByteBuffer)Message} handle, or null when the
     * class is not a generated message.
     */
    private record MessageClass(byte[] name, @Nullable MethodHandle parseFrom) {
        static MessageClass of(Class<?> type) {
            byte[] name = type.getName().getBytes(UTF_8);
            if (!Message.class.isAssignableFrom(type) || name.length > MAX_NAME_BYTES) {
                return new MessageClass(name, null);
            }
            try {
                MethodHandle handle = MethodHandles.publicLookup().findStatic(type, "parseFrom",
                        MethodType.methodType(type, ByteBuffer.class));
                return new MessageClass(name,
                        handle.asType(MethodType.methodType(Message.class, ByteBuffer.class)));
            } catch (NoSuchMethodException | IllegalAccessException e) {
                return new MessageClass(name, null);
            }
        }
    }
}
