package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.acme.Tripwire;
import com.acme.Widget;
import java.io.File;
import java.io.Serializable;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import com.google.protobuf.StringValue;

@DisplayName("DefaultCodec deserialization filter")
class DefaultCodecFilterTest {
    private final DefaultCodec codec = new DefaultCodec();

    record Box(Object content) implements Serializable {}

    private static String decodeError(DefaultCodec codec, byte[] encoded) {
        return assertThrows(CodecException.class, () -> codec.decode(encoded)).getMessage();
    }

    @Test
    @DisplayName("a JDK class off the allow list is refused, and the error names it and withFilter")
    void jdkClassRefused() {
        String message = decodeError(codec, codec.encode(new Box(new File("/etc/passwd"))));

        assertTrue(message.contains("class java.io.File is not allowed"), message);
        assertTrue(message.contains("new DefaultCodec().withFilter(\"java.io.File\")"), message);
    }

    record Named(String name, int rank) implements Serializable {}

    @Test
    @DisplayName("java.util.concurrent's blocking queues and key sets, a fair lock, and Comparator's own comparators travel")
    void concurrentCollectionsAndComparators() throws Exception {
        var blocking = new java.util.concurrent.LinkedBlockingQueue<>(List.of(1, 2));
        var array = new java.util.concurrent.ArrayBlockingQueue<>(4, true, List.of("a"));
        var deque = new java.util.concurrent.LinkedBlockingDeque<>(List.of(3));
        var priority = new java.util.concurrent.PriorityBlockingQueue<>(List.of(5, 4));
        var transfer = new java.util.concurrent.LinkedTransferQueue<>(List.of(6));
        var keys = java.util.concurrent.ConcurrentHashMap.<String>newKeySet();
        keys.add("k");
        var fair = new java.util.concurrent.locks.ReentrantLock(true);
        for (Object value : List.of(blocking, array, deque, priority, transfer, keys, fair)) {
            Object back = ((Box) codec.decode(codec.encode(new Box(value)))).content();
            assertEquals(value.getClass(), back.getClass());
            assertEquals(value.toString().replaceAll("@[0-9a-f]+", ""), back.toString().replaceAll("@[0-9a-f]+", ""));
        }
        @SuppressWarnings("unchecked")
        java.util.Comparator<Named> byRank = (java.util.Comparator<Named>) codec.decode(codec.encode(
                java.util.Comparator.comparingInt((java.util.function.ToIntFunction<Named> & Serializable) Named::rank)
                        .thenComparing((java.util.function.Function<Named, String> & Serializable) Named::name,
                                java.util.Comparator.nullsFirst(java.util.Comparator.<String>naturalOrder()))
                        .reversed()));
        List<Named> sorted = new ArrayList<>(List.of(new Named("a", 1), new Named("b", 3), new Named("c", 2)));
        sorted.sort(byRank);
        assertEquals(List.of("b", "c", "a"), sorted.stream().map(Named::name).toList());
    }

    @Test
    @DisplayName("socket addresses travel (a Listener's or a manager's address passed to a child)")
    void socketAddressesAllowed() throws Exception {
        var tcp = new InetSocketAddress(InetAddress.getLoopbackAddress(), 5000);
        var v6 = new InetSocketAddress(InetAddress.getByName("::1"), 6000);
        var unresolved = InetSocketAddress.createUnresolved("example.invalid", 7000);
        var unix = UnixDomainSocketAddress.of("/tmp/mp4j-test.sock");

        for (Object address : List.of(tcp, v6, unresolved, unix)) {
            assertEquals(address, ((Box) codec.decode(codec.encode(new Box(address)))).content());
        }
    }

    @Test
    @DisplayName("an array of a refused class is refused by its element type")
    void arrayOfRefusedClass() {
        String message = decodeError(codec, codec.encode(new File[] {new File("a")}));

        assertTrue(message.contains("java.io.File (in an array java.io.File[])"), message);
    }

    @Test
    @DisplayName("withFilter can allow a class the default rule refuses")
    void patternAllows() {
        DefaultCodec allowing = codec.withFilter("java.io.File");
        Box box = new Box(new File("/tmp/x"));

        assertEquals(box, allowing.decode(allowing.encode(box)));
        assertEquals("java.io.File", allowing.filterPattern());
        assertNull(codec.filterPattern());
    }

    @Test
    @DisplayName("a class the pattern does not name still falls to the default rule")
    void undecidedFallsToDefault() {
        DefaultCodec allowing = codec.withFilter("java.io.File");

        String message = decodeError(allowing, allowing.encode(Pattern.compile("a+")));

        assertTrue(message.contains("java.util.regex.Pattern"), message);
        assertTrue(message.contains("withFilter(\"java.util.regex.Pattern;java.io.File\")"),
                message);
        assertEquals(new Widget("w", 1), allowing.decode(allowing.encode(new Widget("w", 1))));
    }

    @Test
    @DisplayName("withFilter can refuse an application class the default rule allows")
    void patternRefusesApplicationClass() {
        DefaultCodec refusing = codec.withFilter("!com.acme.*");

        String message = decodeError(refusing, refusing.encode(List.of(new Widget("w", 1))));

        assertTrue(message.contains("class com.acme.Widget is rejected by the filter pattern"
                + " \"!com.acme.*\""), message);
    }

    @Test
    @DisplayName("a protobuf class name passes the filter too")
    void protobufClassFiltered() {
        DefaultCodec refusing = codec.withFilter("!com.google.protobuf.StringValue");

        String message = decodeError(refusing,
                refusing.encode(StringValue.of("1")));

        assertTrue(message.contains(StringValue.class.getName()), message);
    }

    @Test
    @DisplayName("a protobuf payload naming a class that is not a message is refused uninitialised")
    void protobufNonMessageClass() {
        byte[] encoded = protobufPayload(Tripwire.class.getName(), new byte[0]);

        String message = decodeError(codec, encoded);

        assertTrue(message.contains("com.acme.Tripwire is not a generated protobuf message"),
                message);
        assertFalse(Tripwire.Tripwires.TRIPPED.get(), "Tripwire was initialised");
    }

    @Test
    @DisplayName("a protobuf payload naming a refused JDK class is refused before anything else")
    void protobufRefusedJdkClass() {
        String message = decodeError(codec, protobufPayload("java.lang.Runtime", new byte[0]));

        assertTrue(message.contains("class java.lang.Runtime is not allowed"), message);
    }

    @Test
    @DisplayName("a protobuf payload naming an unknown class says it is not on the class path")
    void protobufUnknownClass() {
        String message = decodeError(codec, protobufPayload("com.acme.Missing", new byte[0]));

        assertTrue(message.contains("com.acme.Missing is not found"), message);
    }

    @Test
    @DisplayName("nesting deeper than maxdepth=1000 is refused unless the pattern raises it")
    void depthLimit() throws Throwable {
        List<Object> deep = new ArrayList<>();
        List<Object> inner = deep;
        for (int i = 0; i < 1_050; i++) {
            List<Object> next = new ArrayList<>();
            inner.add(next);
            inner = next;
        }

        onLargeStack(() -> {
            byte[] encoded = codec.encode(deep);
            String message = decodeError(codec, encoded);
            assertTrue(message.contains("maxdepth=1000"), message);
            assertEquals(deep, codec.withFilter("maxdepth=5000").decode(encoded));
        });
    }

    /** Java serialization recurses per nesting level; 1000 levels need more than 1 MiB. */
    private static void onLargeStack(Runnable body) throws Throwable {
        Throwable[] failure = new Throwable[1];
        Thread thread = new Thread(null, () -> {
            try {
                body.run();
            } catch (Throwable t) {
                failure[0] = t;
            }
        }, "large-stack", 64L << 20);
        thread.start();
        thread.join();
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    @Test
    @DisplayName("an array longer than the input could hold is refused before it is allocated")
    void arrayLengthLimit() {
        byte[] encoded = codec.encode(new byte[][] {new byte[10]});
        // the inner byte[10]'s length is the int just before its 10 bytes, at the end
        int lengthAt = encoded.length - 10 - 4;
        assertEquals(10, encoded[lengthAt + 3]);
        encoded[lengthAt] = 0x40;

        String message = decodeError(codec, encoded);

        assertTrue(message.contains("declares an array of 1073741834 elements"), message);
    }

    @Test
    @DisplayName("a malformed or empty pattern is refused when the codec is made")
    void badPattern() {
        assertThrows(IllegalArgumentException.class, () -> codec.withFilter("maxdepth=lots"));
        assertThrows(IllegalArgumentException.class, () -> codec.withFilter(""));
    }

    @Test
    @DisplayName("codecs with the same pattern are equal")
    void equality() {
        assertEquals(codec.withFilter("a.B"), codec.withFilter("a.B"));
        assertEquals(new DefaultCodec(), codec);
        assertFalse(codec.withFilter("a.B").equals(codec));
    }

    private static byte[] protobufPayload(String className, byte[] message) {
        byte[] name = className.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[3 + name.length + message.length];
        out[0] = 14;
        out[1] = (byte) (name.length >>> 8);
        out[2] = (byte) name.length;
        System.arraycopy(name, 0, out, 3, name.length);
        System.arraycopy(message, 0, out, 3 + name.length, message.length);
        return out;
    }
}
