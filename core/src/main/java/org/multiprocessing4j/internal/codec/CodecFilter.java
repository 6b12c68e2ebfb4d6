package org.multiprocessing4j.internal.codec;

import java.io.ObjectInputFilter;
import java.io.ObjectInputFilter.FilterInfo;
import java.io.ObjectInputFilter.Status;
import org.jspecify.annotations.Nullable;

/**
 * The deserialization filter of a {@link org.multiprocessing4j.DefaultCodec}: immutable, shared
 * by every decode of that codec. Each decode takes a fresh {@link StreamFilter} from
 * {@link #newStreamFilter(long)}.
 *
 * <p>Order of the checks:
 * <ol>
 *   <li>limits: {@code maxdepth=1000}, {@code maxrefs=10000000}, {@code maxbytes} and
 *       {@code maxarray} both the length of the input (no array in a valid stream has more
 *       elements than the stream has bytes). A limit the pattern sets replaces the default one;
 *   <li>the pattern, if any ({@link ObjectInputFilter.Config#createFilter} syntax): when it
 *       says ALLOWED or REJECTED, that decides;
 *   <li>otherwise the {@link DefaultClassRule}.
 * </ol>
 *
 * @since 0.1
 */
public final class CodecFilter {
    /** The default {@code maxdepth}. */
    public static final long MAX_DEPTH = 1000;
    /** The default {@code maxrefs}. */
    public static final long MAX_REFERENCES = 10_000_000;

    private static final CodecFilter DEFAULT = new CodecFilter(null, null);

    private final @Nullable String pattern;
    private final @Nullable ObjectInputFilter patternFilter;
    private final boolean patternLimitsDepth;
    private final boolean patternLimitsReferences;
    private final boolean patternLimitsBytes;
    private final boolean patternLimitsArrays;

    private CodecFilter(@Nullable String pattern, @Nullable ObjectInputFilter patternFilter) {
        this.pattern = pattern;
        this.patternFilter = patternFilter;
        this.patternLimitsDepth = setsLimit(pattern, "maxdepth=");
        this.patternLimitsReferences = setsLimit(pattern, "maxrefs=");
        this.patternLimitsBytes = setsLimit(pattern, "maxbytes=");
        this.patternLimitsArrays = setsLimit(pattern, "maxarray=");
    }

    /**
     * Returns the filter for a pattern.
     *
     * @param pattern a pattern in {@link ObjectInputFilter.Config#createFilter} syntax, or null
     *                for the default rule alone
     * @return the filter
     * @throws IllegalArgumentException if the pattern is malformed or has no patterns
     */
    public static CodecFilter of(@Nullable String pattern) {
        if (pattern == null) {
            return DEFAULT;
        }
        @Nullable ObjectInputFilter filter = ObjectInputFilter.Config.createFilter(pattern);
        if (filter == null) {
            throw new IllegalArgumentException("filter pattern \"" + pattern + "\" has no"
                    + " patterns; use new DefaultCodec() for the default filter");
        }
        return new CodecFilter(pattern, filter);
    }

    /**
     * Returns a filter for one decode, which remembers why it rejected.
     *
     * @param inputLength the length of the input being decoded
     * @return a new filter, for one thread
     */
    public StreamFilter newStreamFilter(long inputLength) {
        return new StreamFilter(this, inputLength);
    }

    /**
     * Checks one step of a decode.
     *
     * @param info        what the stream is about to read
     * @param inputLength the length of the input being decoded
     * @return null if allowed, else why not (a phrase naming the class or the limit)
     */
    @Nullable String check(FilterInfo info, long inputLength) {
        @Nullable String limit = exceededLimit(info, inputLength);
        if (limit != null) {
            return limit;
        }
        if (patternFilter != null) {
            Status status = patternFilter.checkInput(info);
            if (status == Status.REJECTED) {
                return patternRejection(patternFilter, info);
            }
            if (status == Status.ALLOWED) {
                return null;
            }
        }
        @Nullable Class<?> type = info.serialClass();
        if (type == null) {
            return null;
        }
        @Nullable String reason = DefaultClassRule.reasonToRefuse(type);
        return reason == null ? null : defaultRejection(type, reason);
    }

    private @Nullable String exceededLimit(FilterInfo info, long inputLength) {
        if (!patternLimitsDepth && info.depth() > MAX_DEPTH) {
            return "its nesting depth exceeds maxdepth=" + MAX_DEPTH + " of DefaultCodec's"
                    + " deserialization filter; to raise the limit, make the codec with"
                    + " new DefaultCodec().withFilter(\"maxdepth=N\")";
        }
        if (!patternLimitsReferences && info.references() > MAX_REFERENCES) {
            return "it holds more than maxrefs=" + MAX_REFERENCES + " object references; to"
                    + " raise the limit, make the codec with new DefaultCodec().withFilter(\"maxrefs=N\")";
        }
        if (!patternLimitsBytes && info.streamBytes() > inputLength) {
            return "it reads past the end of its input (" + inputLength + " bytes)";
        }
        if (!patternLimitsArrays && info.arrayLength() > inputLength) {
            return "it declares an array of " + info.arrayLength() + " elements, more than its"
                    + " whole input (" + inputLength + " bytes) can hold; the bytes are corrupt";
        }
        return null;
    }

    private String patternRejection(ObjectInputFilter filter, FilterInfo info) {
        @Nullable Class<?> type = info.serialClass();
        if (type != null && filter.checkInput(new ClassCheck(type, 0)) == Status.REJECTED) {
            return "class " + describe(type) + " is rejected by the filter pattern \"" + pattern
                    + "\" of this DefaultCodec (see DefaultCodec.withFilter)";
        }
        return "it exceeds a limit of the filter pattern \"" + pattern + "\" (depth "
                + info.depth() + ", references " + info.references() + ", bytes "
                + info.streamBytes() + ", array length " + info.arrayLength() + ")";
    }

    private String defaultRejection(Class<?> type, String reason) {
        String allow = patternFor(DefaultClassRule.elementType(type)) + (pattern == null ? "" : ";" + pattern);
        return "class " + describe(type) + " is not allowed by DefaultCodec's deserialization"
                + " filter: " + reason + ". To allow it, make the codec with"
                + " new DefaultCodec().withFilter(\"" + allow + "\")";
    }

    /**
     * {@return a filter pattern that admits the class in every run}: a lambda's hidden class
     * ({@code C$$Lambda/0x...}) gets a new address each run, so its pattern is {@code C$$Lambda*}
     */
    private static String patternFor(Class<?> type) {
        String name = type.getName();
        int lambda = name.indexOf("$$Lambda");
        return type.isHidden() && lambda > 0 ? name.substring(0, lambda + "$$Lambda".length()) + "*" : name;
    }

    private static String describe(Class<?> type) {
        Class<?> element = DefaultClassRule.elementType(type);
        return element == type ? type.getName()
                : element.getName() + " (in an array " + type.getTypeName() + ")";
    }

    private static boolean setsLimit(@Nullable String pattern, String limit) {
        if (pattern == null) {
            return false;
        }
        for (String part : pattern.split(";")) {
            if (part.startsWith(limit)) {
                return true;
            }
        }
        return false;
    }

    /** A filter question about one class outside a Java serialization stream. */
    record ClassCheck(Class<?> serialClass, long streamBytes) implements FilterInfo {
        @Override
        public long arrayLength() {
            return -1;
        }

        @Override
        public long depth() {
            return 1;
        }

        @Override
        public long references() {
            return 1;
        }
    }
}
