package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.internal.codec.Tags;

@DisplayName("DefaultCodec serializable lambdas without Java serialization (LAMBDA)")
class DefaultCodecLambdaTest {
    private final DefaultCodec codec = new DefaultCodec();

    interface SerializableSupplier<T> extends Supplier<T>, Serializable {}

    interface SerializableFunction<T, R> extends Function<T, R>, Serializable {}

    record Point(int x, int y) implements Serializable {}

    static int square(int x) {
        return x * x;
    }

    private final String greeting = "hello";

    private Object roundTrip(Object value) {
        return codec.decode(codec.encode(value));
    }

    @Test
    @DisplayName("a lambda capturing strings, boxes and null takes the LAMBDA path and keeps every value")
    void capturesSimpleValues() {
        int i = 6;
        long l = 1L << 40;
        double d = -0.0;
        char c = 'λ';
        boolean b = true;
        String s = "text \uD800 with an unpaired surrogate";
        String none = null;
        SerializableSupplier<String> supplier = () -> i + "|" + l + "|" + d + "|" + c + "|" + b + "|" + s + "|" + none;

        byte[] encoded = codec.encode(supplier);

        assertEquals(Tags.LAMBDA, encoded[0]);
        @SuppressWarnings("unchecked")
        SerializableSupplier<String> decoded = (SerializableSupplier<String>) codec.decode(encoded);
        assertEquals(supplier.get(), decoded.get());
    }

    @Test
    @DisplayName("method references and non-capturing lambdas take it too, each encoding its own values")
    void methodReferencesAndSeveralValues() {
        SerializableFunction<Integer, Integer> ref = DefaultCodecLambdaTest::square;
        assertEquals(Tags.LAMBDA, codec.encode(ref)[0]);
        @SuppressWarnings("unchecked")
        SerializableFunction<Integer, Integer> decodedRef = (SerializableFunction<Integer, Integer>) roundTrip(ref);
        assertEquals(49, decodedRef.apply(7));

        // Two lambdas of one class (the same source position) keep their own captured values.
        List<SerializableSupplier<Integer>> tasks = java.util.stream.IntStream.range(0, 3)
                .mapToObj(k -> (SerializableSupplier<Integer>) () -> square(k)).toList();
        for (int k = 0; k < 3; k++) {
            assertEquals(Tags.LAMBDA, codec.encode(tasks.get(k))[0]);
            assertEquals(k * k, ((Supplier<?>) roundTrip(tasks.get(k))).get());
        }
    }

    @Test
    @DisplayName("a lambda capturing anything else, this included, takes Java serialization and still round-trips")
    void otherCapturesFallBack() {
        Point p = new Point(1, 2);
        SerializableSupplier<Integer> record = () -> p.x() + p.y();
        byte[] encoded = codec.encode(record);
        assertEquals(Tags.JAVA, encoded[0]);
        assertEquals(3, ((Supplier<?>) codec.decode(encoded)).get());

        SerializableSupplier<String> capturesThis = new Outer().supplier();
        assertEquals(Tags.JAVA, codec.encode(capturesThis)[0]);
        assertEquals("outer", ((Supplier<?>) roundTrip(capturesThis)).get());

        int[] array = {1, 2};
        SerializableSupplier<Integer> mutable = () -> array[0] + array[1];
        assertEquals(Tags.JAVA, codec.encode(mutable)[0], "a captured array keeps Java serialization's semantics");
    }

    static final class Outer implements Serializable {
        @java.io.Serial
        private static final long serialVersionUID = 1L;
        private final String name = "outer";

        SerializableSupplier<String> supplier() {
            return () -> name;
        }
    }

    @Test
    @DisplayName("a non-serializable lambda still fails with Java serialization's hint")
    void nonSerializableLambda() {
        Supplier<String> plain = () -> greeting;
        CodecException e = assertThrows(CodecException.class, () -> codec.encode(plain));
        assertTrue(e.getMessage().contains("Serializable"), e.getMessage());
    }

    @Test
    @DisplayName("the filter judges the capturing class: a pattern that refuses it refuses the lambda")
    void filterRefusesCapturingClass() {
        int x = 3;
        SerializableSupplier<Integer> supplier = () -> square(x);
        byte[] encoded = codec.encode(supplier);
        assertEquals(Tags.LAMBDA, encoded[0]);

        DefaultCodec strict = codec.withFilter("!" + DefaultCodecLambdaTest.class.getName());
        CodecException e = assertThrows(CodecException.class, () -> strict.decode(encoded));
        assertTrue(e.getMessage().contains(DefaultCodecLambdaTest.class.getName()), e.getMessage());

        DefaultCodec noLambdas = codec.withFilter("!java.lang.invoke.SerializedLambda");
        assertThrows(CodecException.class, () -> noLambdas.decode(encoded));
    }

    @Test
    @DisplayName("a forged shape is refused by the capturing class's $deserializeLambda$, with a CodecException")
    void forgedShapeRefused() throws IOException {
        byte[] forged = lambda(DefaultCodecLambdaTest.class.getName().replace('.', '/'),
                "java/lang/Runnable", "run", "()V", "java/lang/System", "exit", "(I)V", "()V", 6, List.of());
        CodecException e = assertThrows(CodecException.class, () -> codec.decode(forged));
        assertTrue(e.getMessage().contains("DefaultCodecLambdaTest"), e.getMessage());
    }

    @Test
    @DisplayName("corrupt payloads fail with a CodecException that says what is wrong")
    void corruptPayloads() throws IOException {
        String capturing = DefaultCodecLambdaTest.class.getName().replace('.', '/');
        byte[] good = codec.encode((SerializableSupplier<Integer>) () -> square(2));

        for (int cut = 1; cut < good.length; cut++) {
            byte[] truncated = java.util.Arrays.copyOf(good, cut);
            assertThrows(CodecException.class, () -> codec.decode(truncated), "cut at " + cut);
        }
        byte[] trailing = java.util.Arrays.copyOf(good, good.length + 1);
        assertTrue(assertThrows(CodecException.class, () -> codec.decode(trailing)).getMessage().contains("trailing"));

        byte[] javaInside = lambda(capturing, "a", "b", "c", "d", "e", "f", "g", 6,
                List.of(codec.encode(new Point(1, 1))));
        assertTrue(assertThrows(CodecException.class, () -> codec.decode(javaInside)).getMessage().contains("JAVA"));

        byte[] missingClass = lambda("com/acme/NoSuchClass", "a", "b", "c", "d", "e", "f", "g", 6, List.of());
        assertTrue(assertThrows(CodecException.class, () -> codec.decode(missingClass)).getMessage()
                .contains("com.acme.NoSuchClass"));
    }

    @Test
    @DisplayName("a lambda capturing such a lambda (a pool's wrapper of a task) takes it too; one capturing another kind does not")
    void nestedLambdas() {
        int x = 5;
        SerializableSupplier<Integer> task = () -> square(x);
        SerializableFunction<Object, Integer> wrapper = ignored -> task.get();
        byte[] encoded = codec.encode(wrapper);
        assertEquals(Tags.LAMBDA, encoded[0]);
        assertEquals(25, ((Function<?, ?>) codec.decode(encoded)).apply(null));

        Point p = new Point(2, 3);
        SerializableSupplier<Integer> other = () -> p.x() * p.y();
        SerializableFunction<Object, Integer> wrapsOther = ignored -> other.get();
        byte[] java = codec.encode(wrapsOther);
        assertEquals(Tags.JAVA, java[0]);
        assertEquals(6, ((Function<?, ?>) codec.decode(java)).apply(null));
    }

    @Test
    @DisplayName("lambdas nested deeper than 16 in a payload are refused before the stack is at risk")
    void nestingLimit() throws IOException {
        String capturing = DefaultCodecLambdaTest.class.getName().replace('.', '/');
        byte[] payload = lambda(capturing, "a", "b", "c", "d", "e", "f", "g", 6, List.of());
        for (int level = 0; level < 40; level++) {
            payload = lambda(capturing, "a", "b", "c", "d", "e", "f", "g", 6, List.of(payload));
        }
        byte[] deep = payload;
        assertTrue(assertThrows(CodecException.class, () -> codec.decode(deep)).getMessage().contains("deeper"));
    }

    static final class Nested {
        static SerializableSupplier<String> supplier(String s, short sh, byte by, float f) {
            return () -> s + "|" + sh + "|" + by + "|" + Float.floatToRawIntBits(f);
        }

        interface WithDefault {
            default SerializableSupplier<Integer> supplier(int x) {
                return () -> square(x);
            }
        }
    }

    @Test
    @DisplayName("lambdas of a nested class and of an interface's default method, and a bound method reference, take it")
    void nestedClassesAndBoundReferences() {
        float nan = Float.intBitsToFloat(0x7fc01234);
        SerializableSupplier<String> nested = Nested.supplier("n", (short) -7, (byte) 9, nan);
        assertEquals(Tags.LAMBDA, codec.encode(nested)[0]);
        assertEquals(nested.get(), ((Supplier<?>) roundTrip(nested)).get());

        SerializableSupplier<Integer> fromDefault = new Nested.WithDefault() { }.supplier(4);
        assertEquals(Tags.LAMBDA, codec.encode(fromDefault)[0]);
        assertEquals(16, ((Supplier<?>) roundTrip(fromDefault)).get());

        SerializableFunction<String, String> bound = "ab"::concat;
        assertEquals(Tags.LAMBDA, codec.encode(bound)[0]);
        @SuppressWarnings("unchecked")
        Function<String, String> decoded = (Function<String, String>) roundTrip(bound);
        assertEquals("abc", decoded.apply("c"));
    }

    @Test
    @DisplayName("the filter also judges the captured values' classes, as it would in a stream")
    void filterJudgesCapturedValues() {
        int x = 3;
        byte[] encoded = codec.encode((SerializableSupplier<Integer>) () -> square(x));
        DefaultCodec noIntegers = codec.withFilter("!java.lang.Integer");
        CodecException e = assertThrows(CodecException.class, () -> noIntegers.decode(encoded));
        assertTrue(e.getMessage().contains("java.lang.Integer"), e.getMessage());
    }

    @Test
    @DisplayName("a forged captured value of the wrong type, or of a tag this path never writes, fails as a CodecException")
    void forgedCapturedValues() throws IOException {
        String capturing = DefaultCodecLambdaTest.class.getName().replace('.', '/');
        int two = 2;
        byte[] good = codec.encode((SerializableSupplier<Integer>) () -> square(two));
        // The same shape, its int replaced by a string.
        byte[] intArg = codec.encode(2);
        byte[] stringArg = codec.encode("two");
        byte[] forged = replaceTail(good, intArg, stringArg);
        CodecException e = assertThrows(CodecException.class, () -> codec.decode(forged));
        assertTrue(e.getMessage().contains("DefaultCodecLambdaTest"), e.getMessage());

        byte[] bytesArg = lambda(capturing, "a", "b", "c", "d", "e", "f", "g", 6, List.of(codec.encode(new byte[] {1})));
        assertTrue(assertThrows(CodecException.class, () -> codec.decode(bytesArg)).getMessage().contains("BYTES"));
    }

    /** {@return {@code data} with its last {@code old.length} bytes (and their length) replaced by {@code now}} */
    private static byte[] replaceTail(byte[] data, byte[] old, byte[] now) {
        int keep = data.length - old.length - Integer.BYTES;
        assertTrue(java.util.Arrays.equals(java.util.Arrays.copyOfRange(data, keep + Integer.BYTES, data.length), old));
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(keep + Integer.BYTES + now.length);
        out.put(data, 0, keep).putInt(now.length).put(now);
        return out.array();
    }

    @Test
    @DisplayName("a captured null comes back null")
    void nullCapture() {
        String s = null;
        SerializableSupplier<String> supplier = () -> s;
        assertNull(((Supplier<?>) roundTrip(supplier)).get());
    }

    private static byte[] lambda(String capturing, String fi, String fiMethod, String fiSig, String impl,
            String implMethod, String implSig, String instantiated, int kind, List<byte[]> captured) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(Tags.LAMBDA);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            for (String s : List.of(capturing, fi, fiMethod, fiSig, impl, implMethod, implSig, instantiated)) {
                out.writeUTF(s);
            }
            out.writeInt(kind);
            out.writeInt(captured.size());
            for (byte[] c : captured) {
                out.writeInt(c.length);
                out.write(c);
            }
        }
        return bytes.toByteArray();
    }
}
