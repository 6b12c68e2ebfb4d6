package org.multiprocessing4j.examples;

import java.util.LinkedHashMap;
import java.util.Map;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.MultiprocessingException;

/**
 * The one launcher of every example: {@code Examples NAME [--transport T]} runs one,
 * {@code Examples --list} lists them. {@code examples/run} calls it.
 */
public final class Examples {
    /** An example: what it shows, and its main method. */
    private record Example(String description, Main main) {
    }

    /** The main method of an example. */
    @FunctionalInterface
    private interface Main {
        void run(String[] args) throws Exception;
    }

    private static final Map<String, Example> EXAMPLES = new LinkedHashMap<>();
    /** The example that starts agents of the cluster transport, whatever the transport asked for. */
    static final String POOL_AGENTS = "pool-agents";

    static {
        EXAMPLES.put("workers", new Example("seed 1: five workers sleep 2 s side by side", Workers::main));
        EXAMPLES.put("foo", new Example("seed 2: a child prints Foo", Foo::main));
        EXAMPLES.put("queue", new Example("seed 3: a child sends a greeting through a Queue", QueueExample::main));
        EXAMPLES.put("lock", new Example("seed 4: five processes take turns under one Lock", LockExample::main));
        EXAMPLES.put("pool", new Example("seed 5: a Pool of workers squares five numbers", PoolExample::main));
        EXAMPLES.put(POOL_AGENTS, new Example("seed 5 with its workers on three hazelcast agents on this machine",
                PoolAgentsExample::main));
        EXAMPLES.put("shared-value", new Example("four processes add to a shared Value and Array",
                SharedValueExample::main));
        EXAMPLES.put("manager-counter", new Example("four processes count in a manager's map, with a lock and with merge",
                ManagerCounter::main));
        EXAMPLES.put("manager-remote", new Example("a manager served by one JVM and used by another over a socket",
                ManagerRemote::main));
        EXAMPLES.put("simple-queue", new Example("a child sends three items through a SimpleQueue",
                SimpleQueueExample::main));
        EXAMPLES.put("joinable-queue", new Example("two workers mark tasks done; join() waits for all of them",
                JoinableQueueExample::main));
        EXAMPLES.put("pipe", new Example("a child sends values down a Pipe; the parent reads to end of file",
                PipeExample::main));
        EXAMPLES.put("rlock", new Example("a child takes an RLock again while holding it", RLockExample::main));
        EXAMPLES.put("semaphore", new Example("four processes share two permits of a Semaphore",
                SemaphoreExample::main));
        EXAMPLES.put("bounded-semaphore", new Example("a BoundedSemaphore refuses a release above its value",
                BoundedSemaphoreExample::main));
        EXAMPLES.put("condition", new Example("a consumer waits on a Condition until the producer notifies it",
                ConditionExample::main));
        EXAMPLES.put("event", new Example("three processes wait for one Event", EventExample::main));
        EXAMPLES.put("barrier", new Example("three processes meet at a Barrier", BarrierExample::main));
        EXAMPLES.put("array", new Example("two processes fill one shared Array of doubles", ArrayExample::main));
        EXAMPLES.put("shared-memory", new Example("a child writes into a SharedMemory segment it attached by name",
                SharedMemoryExample::main));
        EXAMPLES.put("shareable-list", new Example("a child changes a ShareableList in place",
                ShareableListExample::main));
        EXAMPLES.put("pool-imap", new Example("Pool.imap: lazy results in argument order", PoolImapExample::main));
        EXAMPLES.put("pool-imap-unordered", new Example("Pool.imapUnordered: results as workers finish them",
                PoolImapUnorderedExample::main));
        EXAMPLES.put("pool-starmap", new Example("Pool.starmap: a two-argument function over pairs",
                PoolStarmapExample::main));
        EXAMPLES.put("pool-apply-async", new Example("Pool.applyAsync with a callback and an error callback",
                PoolApplyAsyncExample::main));
        EXAMPLES.put("executor", new Example("a Pool as an ExecutorService: tasks come back as Futures",
                ExecutorExample::main));
        EXAMPLES.put("listener-client", new Example("a Listener here, a Client in a child, authenticated both ways",
                ListenerClientExample::main));
        EXAMPLES.put("custom-codec", new Example("a Codec of our own (compressed) carried to a child",
                CustomCodecExample::main));
    }

    private Examples() {
    }

    /**
     * Runs the example named first, or lists them all.
     *
     * @param args {@code NAME [--transport T] [args...]} or {@code --list}
     * @throws Exception what the example throws
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.err.println("usage: examples/run NAME [--transport T]   |   examples/run --list");
            System.exit(args.length == 0 ? 2 : 0);
            return;
        }
        if (args[0].equals("--list")) {
            EXAMPLES.forEach((name, e) -> System.out.printf("%-20s %s%n", name, e.description()));
            return;
        }
        Example example = EXAMPLES.get(args[0]);
        if (example == null) {
            System.err.println("no example named '" + args[0] + "'; examples/run --list names them all");
            System.exit(2);
            return;
        }
        String[] rest = new String[args.length - 1];
        System.arraycopy(args, 1, rest, 0, rest.length);
        for (int i = 0; i < rest.length; i++) {
            String transport = null;
            if (rest[i].equals("--transport")) {
                if (i + 1 >= rest.length) {
                    System.err.println("--transport needs a name, such as pipe or socket");
                    System.exit(2);
                    return;
                }
                transport = rest[i + 1];
            } else if (rest[i].startsWith("--transport=")) {
                transport = rest[i].substring("--transport=".length());
            }
            if (transport != null) {
                try {
                    Multiprocessing.getContext(transport);
                } catch (MultiprocessingException e) {
                    System.err.println(e.getMessage());
                    System.exit(2);
                    return;
                }
                System.setProperty("multiprocessing4j.transport", transport);
            }
        }
        example.main().run(rest);
    }

    /** {@return the names of all examples, in listing order} */
    static Iterable<String> names() {
        return EXAMPLES.keySet();
    }
}
