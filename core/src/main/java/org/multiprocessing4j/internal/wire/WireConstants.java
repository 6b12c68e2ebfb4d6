package org.multiprocessing4j.internal.wire;

/**
 * Numbers both ends of a link agree on.
 *
 * @since 0.1
 */
public final class WireConstants {
    /**
     * The version of the wire schema; sent in the bootstrap and the handshake. It changes when
     * an old peer could misread a new frame.
     */
    public static final int PROTOCOL_VERSION = 4;

    /** The smallest frame limit a context may set, in bytes: every frame limit is at least this. */
    public static final int MIN_MAX_FRAME_SIZE = 1024;

    /** The largest frame body a link accepts unless configured otherwise: 64 MiB. */
    public static final int DEFAULT_MAX_FRAME_SIZE = 64 * 1024 * 1024;

    /** The length of a frame's header: a 4-byte big-endian body length. */
    public static final int FRAME_HEADER_SIZE = 4;

    private WireConstants() {}
}
