package org.multiprocessing4j.internal.codec;

import java.io.ObjectInputFilter;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.CodecException;

/**
 * The filter of one decode: asks its {@link CodecFilter} and remembers the first rejection, so
 * that the error can name the class (an {@code ObjectInputStream} reports only
 * "filter status: REJECTED"). Used by one thread.
 *
 * @since 0.1
 */
public final class StreamFilter implements ObjectInputFilter {
    private final CodecFilter filter;
    private final long inputLength;
    private @Nullable String rejection;

    StreamFilter(CodecFilter filter, long inputLength) {
        this.filter = filter;
        this.inputLength = inputLength;
    }

    @Override
    public Status checkInput(FilterInfo info) {
        @Nullable String reason = filter.check(info, inputLength);
        if (reason == null) {
            return Status.ALLOWED;
        }
        if (rejection == null) {
            rejection = reason;
        }
        return Status.REJECTED;
    }

    /**
     * Checks a class that is about to be used outside a Java serialization stream, the way a
     * stream would check it.
     *
     * @param type the class, loaded but not initialised
     * @throws CodecException naming the class if the filter rejects it
     */
    public void checkClass(Class<?> type) {
        if (checkInput(new CodecFilter.ClassCheck(type, inputLength)) == Status.REJECTED) {
            throw rejected(null);
        }
    }

    /**
     * Returns why this filter rejected, if it did.
     *
     * @return the reason, or null if it has not rejected anything
     */
    public @Nullable String rejection() {
        return rejection;
    }

    /**
     * Returns the error for this filter's rejection.
     *
     * @param cause the failure the rejection caused, if any
     * @return the error, naming the class or the limit
     */
    public CodecException rejected(@Nullable Throwable cause) {
        String message = "cannot decode a value: " + rejection;
        return cause == null ? new CodecException(message) : new CodecException(message, cause);
    }
}
