package org.multiprocessing4j.cluster.hazelcast;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.multiprocessing4j.AuthenticationException;

/**
 * Signs and checks everything of ours that enters the cluster. Hazelcast Community Edition
 * authenticates no member and no client, so anyone who reaches the cluster's ports can write
 * its maps and queues; what we read back counts only if it carries an HMAC-SHA256 of the
 * authkey, which is checked (in constant time) before a byte of it is decoded.
 *
 * <p>A sealed value is the 32-byte MAC followed by the payload. The MAC covers a label
 * ({@link Label}) and the payload, so a sealed queue item cannot be passed off as an
 * operation, or a state record as an answer. Thread-safe.
 */
final class Sealer {
    static final int MAC_LENGTH = 32;
    private static final String ALGORITHM = "HmacSHA256";
    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;

    /** What a sealed value is, covered by its MAC. */
    enum Label {
        /** An operation sent to a state record. */
        OP,
        /** A state record as stored in the cluster. */
        STATE,
        /** What an operation answered. */
        ANSWER,
        /** A queue item. */
        ITEM,
        /** A request to an agent to start a child JVM. */
        LAUNCH,
        /** An agent's answer to a {@link #LAUNCH}. */
        LAUNCHED,
        /** An agent's entry in the registry of agents. */
        AGENT,
        /** An agent's proof, on a relay connection, that it holds the key. */
        RELAY,
        /** Class names an agent is asked about ({@link AgentTask}). */
        CLASSES,
        /** Those of them an agent's JVMs could not load. */
        CLASSES_MISSING,
        /** The key that pipe endpoints prove to each other ({@link PipeHost}), derived. */
        PIPE_LINK;

        final byte[] bytes = name().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * @param authkey the key, at least 1 byte (copied)
     * @throws IllegalArgumentException if the key is empty
     */
    Sealer(byte[] authkey) {
        if (authkey.length == 0) {
            throw new IllegalArgumentException("the cluster's authkey is empty");
        }
        this.key = new SecretKeySpec(authkey.clone(), ALGORITHM);
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no " + ALGORITHM + ": " + e, e);
        }
    }

    /**
     * {@return the MAC followed by the payload}
     *
     * @param label   what the payload is
     * @param payload the bytes to sign
     */
    byte[] seal(Label label, byte[] payload) {
        byte[] sealed = new byte[MAC_LENGTH + payload.length];
        System.arraycopy(mac(label, payload, 0, payload.length), 0, sealed, 0, MAC_LENGTH);
        System.arraycopy(payload, 0, sealed, MAC_LENGTH, payload.length);
        return sealed;
    }

    /**
     * {@return the payload}
     *
     * @param label  what the value must be
     * @param sealed a value from {@link #seal}, or anything anyone put in the cluster
     * @param what   what the value is, for the error
     * @throws AuthenticationException if the value is not signed with this key and label
     */
    byte[] open(Label label, byte[] sealed, String what) {
        if (sealed.length < MAC_LENGTH) {
            throw new AuthenticationException(what + " is not signed with the cluster's authkey ("
                    + sealed.length + " bytes, shorter than a MAC); it was not decoded");
        }
        byte[] expected = mac(label, sealed, MAC_LENGTH, sealed.length - MAC_LENGTH);
        if (!MessageDigest.isEqual(expected, Arrays.copyOf(sealed, MAC_LENGTH))) {
            throw new AuthenticationException(what + " is not signed with the cluster's authkey;"
                    + " it was not decoded (a process with another key, or not ours, wrote it)");
        }
        return Arrays.copyOfRange(sealed, MAC_LENGTH, sealed.length);
    }

    /**
     * {@return a key of its own for {@code label}, derived from the authkey} Connections that
     * prove a key by a handshake of their own use it rather than the authkey itself.
     */
    byte[] derivedKey(Label label) {
        return mac(label, new byte[0], 0, 0);
    }

    private byte[] mac(Label label, byte[] data, int offset, int length) {
        Mac mac = macs.get();
        mac.update(label.bytes);
        mac.update((byte) 0);
        mac.update(data, offset, length);
        return mac.doFinal();
    }
}
