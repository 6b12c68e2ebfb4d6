package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PoolChunksizeTest {
    @Test
    @DisplayName("map's automatic chunk size is Python's: ceil(items / (4 * processes)), at least 1")
    void autoChunksize() {
        assertEquals(1, Pool.autoChunksize(0, 2));
        assertEquals(1, Pool.autoChunksize(8, 2));
        assertEquals(2, Pool.autoChunksize(9, 2));
        assertEquals(2, Pool.autoChunksize(10, 2));
        assertEquals(7, Pool.autoChunksize(100, 4));
        assertEquals(25, Pool.autoChunksize(100, 1));
    }
}
