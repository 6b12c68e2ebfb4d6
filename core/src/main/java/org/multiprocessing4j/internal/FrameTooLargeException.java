package org.multiprocessing4j.internal;

import java.io.IOException;
import java.io.Serial;

/**
 * A frame larger than the peer of a link reads: it was not sent, and the link is intact (the
 * peer would have closed it, taking the process's link with it).
 */
public final class FrameTooLargeException extends IOException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * @param size the frame's size
     * @param max  the peer's largest frame
     * @param link the link, for the message
     */
    FrameTooLargeException(long size, int max, String link) {
        super("a frame of " + size + " bytes is more than the " + max + " bytes the other end of the " + link
                + " reads (its context's maxFrameSize); raise Context.Builder.maxFrameSize, or send less");
    }
}
