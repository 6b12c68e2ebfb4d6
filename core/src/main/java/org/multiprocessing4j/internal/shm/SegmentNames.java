package org.multiprocessing4j.internal.shm;

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.ProcessRuntime.RootInfo;

/**
 * The names of segments and tracking files. A segment's name is its file name in the
 * {@link ShmDirectory}.
 *
 * <ul>
 *   <li>A user's name: 1 to {@value #MAX_LENGTH} characters of {@code A-Z a-z 0-9 _ . -}, not
 *       starting with a dot or a dash (no hidden files, nothing an option parser would take).
 *   <li>A generated name: {@code mp4j-<rootPid>-<rootStart>-<random>}, the root's pid and start
 *       time (base 36) naming the process tree that made it. Only these names start with
 *       {@value #PREFIX}: {@code create} refuses that prefix to users, so a sweep that removes
 *       a dead root's generated names cannot remove anything a user named.
 *   <li>A tracking file: {@code mp4j-<rootPid>-<rootStart>.segments}; no segment name can
 *       look like it (a generated name has no dot).
 * </ul>
 */
public final class SegmentNames {
    /** The prefix of generated names and tracking files. */
    public static final String PREFIX = "mp4j-";
    /** The longest name accepted; a generated one is about 40 characters. */
    public static final int MAX_LENGTH = 128;

    private static final String TRACKING_SUFFIX = ".segments";
    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");
    private static final Pattern GENERATED = Pattern.compile("mp4j-(\\d+)-([0-9a-z]+)-[0-9a-z]+");
    private static final Pattern TRACKING = Pattern.compile("mp4j-(\\d+)-([0-9a-z]+)\\.segments");
    private static final int RANDOM_DIGITS = 12;

    private SegmentNames() {
    }

    /**
     * Checks a name given to {@code create}.
     *
     * @param name the name
     * @return the name
     * @throws IllegalArgumentException if it breaks the rules; the message says which
     */
    public static String checkForCreate(String name) {
        checkSyntax(name);
        if (name.startsWith(PREFIX)) {
            throw new IllegalArgumentException("shared memory name '" + name + "' starts with '" + PREFIX
                    + "', which is reserved for generated names; choose another, or call create(size) for a generated one");
        }
        return name;
    }

    /**
     * Checks a name given to {@code attach}: a user's name or a generated one.
     *
     * @param name the name
     * @return the name
     * @throws IllegalArgumentException if it cannot name a segment; the message says why
     */
    public static String checkForAttach(String name) {
        checkSyntax(name);
        if (name.startsWith(PREFIX) && !GENERATED.matcher(name).matches()) {
            throw new IllegalArgumentException("shared memory name '" + name + "' starts with '" + PREFIX
                    + "' but is not a generated name (" + PREFIX + "<pid>-<start>-<random>)");
        }
        return name;
    }

    private static void checkSyntax(String name) {
        if (name.isEmpty() || name.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("shared memory name '" + name + "' has " + name.length()
                    + " characters; names have 1 to " + MAX_LENGTH);
        }
        if (!USER_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("shared memory name '" + name
                    + "' is not allowed: names are file names made of A-Z a-z 0-9 _ . - that do not start with"
                    + " '.' or '-' (no '/', as Python's leading slash is not part of the name)");
        }
    }

    /**
     * {@return a new generated name of that tree}
     *
     * @param root the tree's root
     */
    public static String generate(RootInfo root) {
        String random = Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
        random = "0".repeat(Math.max(0, RANDOM_DIGITS - random.length())) + random;
        return treePrefix(root) + "-" + random.substring(random.length() - RANDOM_DIGITS);
    }

    /**
     * {@return the file name of that tree's tracking file}
     *
     * @param root a tree's root
     */
    public static String trackingFile(RootInfo root) {
        return treePrefix(root) + TRACKING_SUFFIX;
    }

    /**
     * {@return the root whose tracking file it is, or null if it is no tracking file}
     *
     * @param fileName a file name in the shm directory
     */
    public static @Nullable RootInfo rootOfTrackingFile(String fileName) {
        return root(TRACKING.matcher(fileName));
    }

    /**
     * {@return the root that generated this segment name, or null if it is no generated name}
     *
     * @param fileName a file name in the shm directory
     */
    public static @Nullable RootInfo rootOfGenerated(String fileName) {
        return root(GENERATED.matcher(fileName));
    }

    private static @Nullable RootInfo root(Matcher m) {
        if (!m.matches()) {
            return null;
        }
        try {
            return new RootInfo(Long.parseLong(m.group(1)), Long.parseLong(m.group(2), 36));
        } catch (NumberFormatException tooLong) {
            return null;
        }
    }

    private static String treePrefix(RootInfo root) {
        return PREFIX + root.pid() + "-" + Long.toString(root.startTime(), 36);
    }
}
