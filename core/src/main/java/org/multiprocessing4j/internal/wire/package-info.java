/**
 * Internal: not API. The wire between processes: length-prefixed frames, each one protobuf
 * {@link org.multiprocessing4j.internal.wire.proto.Envelope} (the messages are generated at
 * build time from {@code core/src/main/proto/wire.proto} into the {@code proto} subpackage).
 *
 * <p>Everything here may change in any release without notice.
 */
@NullMarked
package org.multiprocessing4j.internal.wire;

import org.jspecify.annotations.NullMarked;
