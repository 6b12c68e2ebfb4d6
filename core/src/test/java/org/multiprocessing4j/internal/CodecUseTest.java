package org.multiprocessing4j.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.Codec;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.DefaultCodec;

class CodecUseTest {
    /** A codec that is not {@link DefaultCodec}; it is never asked to encode here. */
    private static final class OtherCodec implements Codec {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] encode(@Nullable Object value) {
            throw new UnsupportedOperationException();
        }

        @Override
        public @Nullable Object decode(byte[] data, int offset, int length) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    @DisplayName("a context with a codec other than DefaultCodec is noted for the JVM; DefaultCodec's variants are not")
    void otherCodecNoted() {
        Context.builder().codec(new DefaultCodec().withFilter("maxdepth=10")).build();
        // No test of this JVM makes a context with another codec before this line.
        assertTrue(CodecUse.onlyDefaultCodec(), "a DefaultCodec with a filter counted as another codec");
        Context.builder().codec(new OtherCodec()).build();
        assertFalse(CodecUse.onlyDefaultCodec());
    }
}
