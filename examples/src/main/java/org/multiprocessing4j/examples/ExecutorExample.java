package org.multiprocessing4j.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.multiprocessing4j.Pool;
import org.multiprocessing4j.ProcessExecutorService;

/**
 * A pool as a {@link java.util.concurrent.ExecutorService}: tasks run in worker processes and
 * come back as {@link Future}s, so code written for executors can use processes.
 */
public final class ExecutorExample {
    private ExecutorExample() {
    }

    /**
     * Runs the example.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted
     * @throws ExecutionException   if a task failed
     */
    public static void main(String[] args) throws InterruptedException, ExecutionException {
        long me = ProcessHandle.current().pid();
        try (Pool pool = new Pool(2)) {
            ProcessExecutorService executor = pool.asExecutorService();
            List<Future<String>> futures = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                int task = i;
                futures.add(executor.submit(() -> "task " + task + " ran in another process: "
                        + (ProcessHandle.current().pid() != me)));
            }
            for (Future<String> f : futures) {
                System.out.println(f.get());
            }
            executor.shutdown();
            System.out.println("shut down: " + executor.isShutdown());
        }
    }
}
