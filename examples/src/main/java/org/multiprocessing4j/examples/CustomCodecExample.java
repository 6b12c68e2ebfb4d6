package org.multiprocessing4j.examples;

import java.io.ByteArrayOutputStream;
import java.io.Serial;
import java.util.Collections;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.Codec;
import org.multiprocessing4j.CodecException;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.DefaultCodec;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.Process;

/**
 * A {@link Codec} of our own: the default encoding, compressed with {@link Deflater}. A
 * {@link Context} carries it to the child it starts, whose target travels compressed and whose
 * runtime then uses the same codec. (A process's queues and pipes use the codec of the context
 * it runs in, so a codec is chosen for a whole tree: see docs/troubleshooting.md.)
 */
public final class CustomCodecExample {
    private CustomCodecExample() {
    }

    /** {@link DefaultCodec}'s bytes, deflated. Serializable: it travels to every child. */
    static final class DeflatingCodec implements Codec {
        @Serial
        private static final long serialVersionUID = 1L;
        /** What encodes the values before compression. @serial */
        private final DefaultCodec inner = new DefaultCodec();

        @Override
        public byte[] encode(@Nullable Object value) {
            Deflater deflater = new Deflater(Deflater.BEST_SPEED);
            try {
                deflater.setInput(inner.encode(value));
                deflater.finish();
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                byte[] buf = new byte[8192];
                while (!deflater.finished()) {
                    out.write(buf, 0, deflater.deflate(buf));
                }
                return out.toByteArray();
            } finally {
                deflater.end();
            }
        }

        @Override
        public @Nullable Object decode(byte[] data, int offset, int length) {
            Inflater inflater = new Inflater();
            try {
                inflater.setInput(data, offset, length);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                byte[] buf = new byte[8192];
                while (!inflater.finished()) {
                    int n = inflater.inflate(buf);
                    if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                        throw new CodecException("cannot decode: the deflated bytes end early");
                    }
                    out.write(buf, 0, n);
                }
                return inner.decode(out.toByteArray());
            } catch (DataFormatException e) {
                throw new CodecException("cannot decode: not deflated data (" + e.getMessage() + ")", e);
            } finally {
                inflater.end();
            }
        }
    }

    static void child(String text) {
        Codec mine = Multiprocessing.getContext().codec();
        System.out.println("the child decoded a target of " + text.length() + " characters with "
                + mine.getClass().getSimpleName());
    }

    /**
     * Runs the example.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        Codec codec = new DeflatingCodec();
        String big = String.join("", Collections.nCopies(10_000, "abc"));
        System.out.println("30000 characters encode to fewer than 1000 bytes: " + (codec.encode(big).length < 1000));
        // The context carries the codec to the child, which decodes its target with it.
        Context context = Multiprocessing.getContext().toBuilder().codec(codec).build();
        Process p = context.process(() -> child(big));
        p.start();
        p.join();
        System.out.println("exit code " + p.exitCode());
    }
}
