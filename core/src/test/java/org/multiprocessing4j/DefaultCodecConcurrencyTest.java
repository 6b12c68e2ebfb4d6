package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import com.google.protobuf.StringValue;

@DisplayName("DefaultCodec used by several threads at once")
class DefaultCodecConcurrencyTest {
    private static final int THREADS = 4;
    private static final int ROUNDS = 2_000;

    record Item(int thread, int round, List<String> tags) implements Serializable {}

    @Test
    @Timeout(60)
    @DisplayName("one codec encodes and decodes correctly from several threads")
    void sharedCodec() throws Exception {
        DefaultCodec codec = new DefaultCodec().withFilter("maxdepth=100");
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    start.await();
                    int checked = 0;
                    for (int round = 0; round < ROUNDS; round++) {
                        for (Object value : values(thread, round)) {
                            assertEquals(value, codec.decode(codec.encode(value)));
                            checked++;
                        }
                    }
                    return checked;
                }));
            }
            start.countDown();
            for (Future<Integer> result : results) {
                assertEquals(ROUNDS * 5, result.get(50, TimeUnit.SECONDS));
            }
        }
    }

    private static List<Object> values(int thread, int round) {
        return List.of(
                "thread " + thread + " round " + round,
                thread * 1_000_000L + round,
                new Item(thread, round, List.of("t" + thread)),
                Map.of(thread, round),
                StringValue.of(thread + ":" + round));
    }
}
