package org.multiprocessing4j.cluster.hazelcast;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Where the {@code hazelcast} transport finds its cluster, read from system properties by the
 * root process of a tree (its children get the root's settings, see {@link TreeFile}); the
 * {@link #builder()} sets the same properties from code. With nothing set, the root starts a
 * member of its own on loopback, which its children join as clients: a one-machine cluster
 * that needs no agent.
 * A settings file ({@value #SETTINGS_FILE}) may hold any of them for the properties that are
 * not set.
 * <ul>
 *   <li>{@value #MEMBERS}: comma-separated {@code host[:port]} of the agents to join as a client;
 *       empty (the default) starts an embedded member instead.
 *   <li>{@value #CLUSTER_NAME}: the Hazelcast cluster name; default {@code multiprocessing4j}
 *       with agents, and one name per process tree for an embedded member.
 *   <li>{@value #AUTHKEY_FILE}: a file holding the cluster's key (its bytes, a final newline
 *       dropped), readable by its owner only; required with {@value #MEMBERS}. Without it an
 *       embedded cluster uses the tree's authkey.
 *   <li>{@value #BIND}: the address an embedded member or agent binds, default {@code 127.0.0.1};
 *       anything that is not loopback also needs {@value #ALLOW_REMOTE}{@code =true}.
 *   <li>{@value #PORT}: the first port an embedded member or agent tries, default 5701 (the
 *       next free one up to 100 above is taken).
 * </ul>
 *
 * @param members      agents to join, empty for an embedded member
 * @param clusterName  the cluster name, or null for the default
 * @param authkeyFile  the key file, or null
 * @param bind         the address to bind
 * @param allowRemote  whether binding a non-loopback address is allowed
 * @param port         the first port to try
 * @since 0.1
 */
public record ClusterSettings(List<String> members, @Nullable String clusterName, @Nullable Path authkeyFile,
                              String bind, boolean allowRemote, int port) {
    /**
     * Property: a {@code .properties} file of these settings, for what no system property sets
     * (keys with or without the {@code multiprocessing4j.hazelcast.} prefix); a key that is
     * not a setting is a {@link #problem()}.
     */
    public static final String SETTINGS_FILE = "multiprocessing4j.hazelcast.settings";
    /** Property: agents to join. */
    public static final String MEMBERS = "multiprocessing4j.hazelcast.members";
    /** Property: the cluster name. */
    public static final String CLUSTER_NAME = "multiprocessing4j.hazelcast.clusterName";
    /** Property: the key file. */
    public static final String AUTHKEY_FILE = "multiprocessing4j.hazelcast.authkeyFile";
    /** Property: the address to bind. */
    public static final String BIND = "multiprocessing4j.hazelcast.bind";
    /** Property: {@code true} to allow binding a non-loopback address. */
    public static final String ALLOW_REMOTE = "multiprocessing4j.hazelcast.allowRemote";
    /** Property: the first port to try. */
    public static final String PORT = "multiprocessing4j.hazelcast.port";
    /**
     * Property of agents: the fewest members a side of a split cluster needs to go on ({@code
     * majority}, the default: more than half of {@link #MEMBERS} when it names three or more;
     * {@code off}; or a number). A side with fewer refuses every operation on locks, queues and
     * the rest, rather than grant what the other side may grant too.
     */
    public static final String MIN_CLUSTER_SIZE = "multiprocessing4j.hazelcast.minClusterSize";
    /**
     * Property that an agent sets in each child JVM it starts: its own address ({@code
     * host:port}), so a program can tell where it runs. Not a setting.
     */
    public static final String AGENT = "multiprocessing4j.hazelcast.agent";
    /** The cluster name used with agents when none is set. */
    public static final String DEFAULT_CLUSTER_NAME = "multiprocessing4j";
    /** The prefix of every property of this transport. */
    static final String PREFIX_HINT = "multiprocessing4j.hazelcast.";

    /** Copies the member list. */
    public ClusterSettings {
        members = List.copyOf(members);
    }

    /**
     * {@return the settings the system properties give, and the settings file they name}
     * (a system property wins over the file)
     */
    public static ClusterSettings fromSystemProperties() {
        return from(SettingsLookup.fromSystem());
    }

    /** {@return the settings that {@code lookup} gives} */
    static ClusterSettings from(SettingsLookup lookup) {
        String members = lookup.get(MEMBERS, "");
        String name = lookup.get(CLUSTER_NAME, "");
        String file = lookup.get(AUTHKEY_FILE, "");
        int port;
        try {
            port = Integer.parseInt(lookup.get(PORT, "5701"));
        } catch (NumberFormatException e) {
            port = -1;
        }
        return new ClusterSettings(
                members.isEmpty() ? List.of() : Arrays.stream(members.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList(),
                name.isEmpty() ? null : name,
                file.isEmpty() ? null : Path.of(file),
                lookup.get(BIND, "127.0.0.1"),
                "true".equalsIgnoreCase(lookup.get(ALLOW_REMOTE, "false")),
                port);
    }

    /** {@return a builder starting from the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return whether this process starts a member of its own rather than joining agents} */
    public boolean embedded() {
        return members.isEmpty();
    }

    /**
     * {@return what is wrong with these settings, in words a user can act on, or null when nothing
     * is}
     *
     */
    public @Nullable String problem() {
        String file = SettingsLookup.fromSystem().problem();
        if (file != null) {
            return file;
        }
        if (port < 1 || port > 65_435) {
            return "-D" + PORT + " must be a port number from 1 to 65435";
        }
        if (!members.isEmpty() && authkeyFile == null) {
            return "-D" + MEMBERS + " is set without -D" + AUTHKEY_FILE
                    + ": every process of a cluster needs the same key, from a file readable by its owner only";
        }
        if (authkeyFile != null) {
            String keyProblem = keyFileProblem(authkeyFile);
            if (keyProblem != null) {
                return keyProblem;
            }
        }
        if (!allowRemote && !isLoopback(bind)) {
            return "-D" + BIND + "=" + bind + " is not a loopback address: binding one that other machines reach"
                    + " needs -D" + ALLOW_REMOTE + "=true (Hazelcast Community Edition authenticates nobody;"
                    + " see docs/cluster.md)";
        }
        return null;
    }

    /**
     * {@return the key in {@link #authkeyFile()}}
     *
     * @throws IllegalStateException if it cannot be read
     */
    byte[] readAuthkey() {
        Path file = java.util.Objects.requireNonNull(authkeyFile, "authkeyFile");
        try {
            byte[] key = Files.readAllBytes(file);
            int n = key.length;
            if (n > 0 && key[n - 1] == '\n') {
                n--;
            }
            if (n == 0) {
                throw new IllegalStateException("the authkey file " + file + " is empty");
            }
            return Arrays.copyOf(key, n);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the authkey file " + file + ": " + e, e);
        }
    }

    private static @Nullable String keyFileProblem(Path file) {
        if (!Files.isReadable(file)) {
            return "the authkey file " + file + " (-D" + AUTHKEY_FILE + ") does not exist or cannot be read";
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                return "the authkey file " + file + " can be read by others: chmod 600 " + file;
            }
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: nothing to check
        }
        return null;
    }

    private static boolean isLoopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * Sets the same system properties {@link #fromSystemProperties()} reads. Set them before
     * the first primitive of the process is made.
     *
     * @since 0.1
     */
    public static final class Builder {
        private final List<String> members = new ArrayList<>();
        private @Nullable String clusterName;
        private @Nullable Path authkeyFile;
        private String bind = "127.0.0.1";
        private boolean allowRemote;
        private int port = 5701;

        private Builder() {
        }

        /**
         * {@return this builder}
         *
         * @param hostAndPort an agent to join, {@code host[:port]}
         */
        public Builder member(String hostAndPort) {
            members.add(hostAndPort);
            return this;
        }

        /**
         * {@return this builder}
         *
         * @param name the cluster name
         */
        public Builder clusterName(String name) {
            this.clusterName = name;
            return this;
        }

        /**
         * {@return this builder}
         *
         * @param file the key file, readable by its owner only
         */
        public Builder authkeyFile(Path file) {
            this.authkeyFile = file;
            return this;
        }

        /**
         * {@return this builder}
         *
         * @param address the address to bind
         * @param allowRemoteAccess true if it may be one other machines reach
         */
        public Builder bind(String address, boolean allowRemoteAccess) {
            this.bind = address;
            this.allowRemote = allowRemoteAccess;
            return this;
        }

        /**
         * {@return this builder}
         *
         * @param firstPort the first port to try
         */
        public Builder port(int firstPort) {
            this.port = firstPort;
            return this;
        }

        /** {@return the settings} */
        public ClusterSettings build() {
            return new ClusterSettings(members, clusterName, authkeyFile, bind, allowRemote, port);
        }

        /**
         * Sets the system properties of this process to these settings.
         *
         * @return the settings
         * @throws IllegalArgumentException if they are not valid ({@link ClusterSettings#problem()})
         */
        public ClusterSettings applyToSystemProperties() {
            ClusterSettings s = build();
            String problem = s.problem();
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            System.setProperty(MEMBERS, String.join(",", s.members()));
            set(CLUSTER_NAME, s.clusterName());
            set(AUTHKEY_FILE, s.authkeyFile() == null ? null : s.authkeyFile().toString());
            System.setProperty(BIND, s.bind());
            System.setProperty(ALLOW_REMOTE, Boolean.toString(s.allowRemote()));
            System.setProperty(PORT, Integer.toString(s.port()));
            return s;
        }

        private static void set(String property, @Nullable String value) {
            if (value == null) {
                System.clearProperty(property);
            } else {
                System.setProperty(property, value);
            }
        }
    }
}
