package org.multiprocessing4j.examples;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.multiprocessing4j.AsyncResult;
import org.multiprocessing4j.Pool;

/**
 * {@link Pool#applyAsync} with a callback and an error callback, both run in this process when
 * the task completes: Python's {@code apply_async(f, args, callback=..., error_callback=...)}.
 */
public final class PoolApplyAsyncExample {
    private PoolApplyAsyncExample() {
    }

    static int half(int x) {
        if (x % 2 != 0) {
            throw new IllegalArgumentException(x + " is odd");
        }
        return x / 2;
    }

    /**
     * Runs the example.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        List<String> heard = new CopyOnWriteArrayList<>();
        try (Pool pool = new Pool(2)) {
            AsyncResult<Integer> even = pool.applyAsync(PoolApplyAsyncExample::half, 42,
                    r -> heard.add("callback: " + r), e -> heard.add("error callback: " + e.getCause()));
            AsyncResult<Integer> odd = pool.applyAsync(PoolApplyAsyncExample::half, 7,
                    r -> heard.add("callback: " + r), e -> heard.add("error callback: " + e.getCause()));
            even.waitFor();
            odd.waitFor();
            System.out.println("42 -> " + even.get() + ", successful: " + even.successful());
            System.out.println("7 successful: " + odd.successful());
        }
        heard.sort(null);                              // callbacks may come in either order
        heard.forEach(System.out::println);
    }
}
