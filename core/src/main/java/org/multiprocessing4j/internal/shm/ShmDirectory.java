package org.multiprocessing4j.internal.shm;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where segments live: {@code /dev/shm} (a memory file system on Linux, what POSIX
 * {@code shm_open} uses there) when it is a writable directory, else the JVM's temp directory.
 * Every process of a machine picks the same one by the same rule, which is what lets unrelated
 * processes attach by name.
 */
public final class ShmDirectory {
    /** Linux's shared memory file system. */
    static final Path DEV_SHM = Path.of("/dev/shm");

    private ShmDirectory() {
    }

    /** {@return the directory of this machine's segments} */
    public static Path standard() {
        return choose(DEV_SHM, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /**
     * {@return {@code devShm} if it is a writable directory, else {@code tmp}}
     *
     * @param devShm the preferred directory
     * @param tmp    the fallback
     */
    static Path choose(Path devShm, Path tmp) {
        return Files.isDirectory(devShm) && Files.isWritable(devShm) ? devShm : tmp;
    }
}
