/**
 * Internal: not API. The pieces of {@link org.multiprocessing4j.DefaultCodec}: its tags, the
 * fast paths that need more than a line, Java serialization behind a filter, and that filter.
 *
 * <p>Everything here may change in any release without notice.
 */
@NullMarked
package org.multiprocessing4j.internal.codec;

import org.jspecify.annotations.NullMarked;
