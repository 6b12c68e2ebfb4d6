package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A pool takes back a worker's waiting messages all at once, with {@link Queue#takeAllHere}. */
class QueueTakeAllTest {
    @Test
    void takesEveryItemOldestFirstAndLeavesTheQueueEmpty() throws InterruptedException {
        Queue<Object> queue = Queue.brokered(org.multiprocessing4j.internal.wire.WireConstants.DEFAULT_MAX_FRAME_SIZE);
        try {
            queue.put("a");
            queue.put(null);
            queue.put(3);
            assertEquals(java.util.Arrays.asList("a", null, 3), queue.takeAllHere());
            assertEquals(List.of(), queue.takeAllHere());
            assertThrows(Queue.Empty.class, queue::getNowait);
            queue.put("after");
            assertEquals("after", queue.getNowait());
        } finally {
            queue.release();
        }
    }
}
