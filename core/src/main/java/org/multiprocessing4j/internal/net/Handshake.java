package org.multiprocessing4j.internal.net;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.multiprocessing4j.AuthenticationException;
import org.multiprocessing4j.internal.SecureBytes;

/**
 * The authentication that opens every connection which is not a parent's own pipe to its
 * child: both sides prove they know the authkey with HMAC-SHA256 over the other side's random
 * challenge, before either reads a byte of payload. The messages are plain byte arrays, so a
 * blocking socket ({@link HandshakeIo}) and an event-driven pipeline (the socket transport)
 * speak exactly the same protocol.
 *
 * <pre>
 *   server                                            client
 *     HELLO  = MAGIC "MP4J-AUTH" | version | nonceS(32)  ──►
 *                                                      ◄──  ANSWER = MAGIC | version | hmac(key, "client" | nonceS) | nonceC(32)
 *     PROOF  = "MP4J-OKAY" | hmac(key, "server" | nonceC | nonceS)  ──►      (or DENIAL = "MP4J-DENY" and close)
 * </pre>
 *
 * The client proves itself first, so a server never computes a MAC for an unauthenticated
 * peer (no oracle), and the labels keep one side's MAC from being replayed as the other's.
 * Every message is at most {@value #MAX_MESSAGE} bytes, so a peer that sends garbage or a
 * huge length is refused before anything is allocated.
 */
public final class Handshake {
    /** The longest handshake message either side accepts. */
    public static final int MAX_MESSAGE = 128;
    /** The version of this handshake; a peer with another one is refused by name. */
    public static final int VERSION = 1;
    static final int NONCE = 32;
    static final int MAC = 32;
    private static final byte[] MAGIC = "MP4J-AUTH".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OKAY = "MP4J-OKAY".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DENY = "MP4J-DENY".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLIENT = "client".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SERVER = "server".getBytes(StandardCharsets.US_ASCII);

    private Handshake() {
    }

    /**
     * The client's answer and the challenge it sent along, which the server's proof must cover.
     *
     * @param message the answer to the server's challenge
     * @param nonce   the client's own challenge
     */
    public record Answer(byte[] message, byte[] nonce) {
    }

    /** {@return a fresh random challenge} */
    public static byte[] newNonce() {
        byte[] nonce = new byte[NONCE];
        SecureBytes.fill(nonce);
        return nonce;
    }

    /**
     * {@return the server's first message}
     *
     * @param nonce the server's challenge, from {@link #newNonce()}
     */
    public static byte[] hello(byte[] nonce) {
        return concat(MAGIC, new byte[] {VERSION}, nonce);
    }

    /**
     * {@return the server's challenge in it, which its proof covers}
     *
     * @param hello a server's hello that {@link #answer} accepted
     */
    public static byte[] challengeOf(byte[] hello) {
        return Arrays.copyOfRange(hello, hello.length - NONCE, hello.length);
    }

    /**
     * The client's reply to a server's hello.
     *
     * @param key   the authkey
     * @param hello what the server sent first
     * @param peer  the server's address, for messages
     * @return the answer to send, and the client's own challenge
     * @throws AuthenticationException if {@code hello} is not this protocol's hello
     */
    public static Answer answer(byte[] key, byte[] hello, String peer) {
        byte[] nonceS = expect(hello, MAGIC, true, NONCE, "hello", peer);
        byte[] nonceC = newNonce();
        return new Answer(concat(MAGIC, new byte[] {VERSION}, hmac(key, CLIENT, nonceS), nonceC), nonceC);
    }

    /**
     * Checks a client's answer on the server.
     *
     * @param key    the authkey
     * @param nonceS the challenge the server sent in its hello
     * @param answer what the client answered
     * @param peer   the client's address, for messages
     * @return the proof to send back
     * @throws AuthenticationException if the answer is malformed or the MAC is wrong; send
     *                                 {@link #denial()} and close
     */
    public static byte[] checkAnswer(byte[] key, byte[] nonceS, byte[] answer, String peer) {
        byte[] rest = expect(answer, MAGIC, true, MAC + NONCE, "answer", peer);
        byte[] mac = Arrays.copyOfRange(rest, 0, MAC);
        byte[] nonceC = Arrays.copyOfRange(rest, MAC, MAC + NONCE);
        if (!MessageDigest.isEqual(mac, hmac(key, CLIENT, nonceS))) {
            throw new AuthenticationException(peer + " did not prove the authkey (wrong key)");
        }
        return concat(OKAY, hmac(key, SERVER, nonceC, nonceS));
    }

    /** {@return what a server sends a client that failed, before it closes the connection} */
    public static byte[] denial() {
        return DENY.clone();
    }

    /**
     * Checks the server's proof on the client.
     *
     * @param key    the authkey
     * @param nonceS the server's challenge, from its hello
     * @param answer the client's answer, with its challenge
     * @param proof  what the server sent last
     * @param peer   the server's address, for messages
     * @throws AuthenticationException if the server refused the client's key, or did not prove
     *                                 it knows the key itself
     */
    public static void checkProof(byte[] key, byte[] nonceS, Answer answer, byte[] proof, String peer) {
        if (Arrays.equals(proof, DENY)) {
            throw new AuthenticationException(peer + " refused this connection: the authkeys differ");
        }
        byte[] mac = expect(proof, OKAY, false, MAC, "proof", peer);
        if (!MessageDigest.isEqual(mac, hmac(key, SERVER, answer.nonce(), nonceS))) {
            throw new AuthenticationException(peer + " did not prove the authkey (wrong key)");
        }
    }

    /**
     * Checks an authkey.
     *
     * @param key an authkey
     * @throws IllegalArgumentException if it is empty
     */
    public static void checkKey(byte[] key) {
        if (key.length == 0) {
            throw new IllegalArgumentException("an authkey must not be empty");
        }
    }

    private static byte[] expect(byte[] message, byte[] magic, boolean versioned, int rest, String what,
            String peer) {
        int head = magic.length + (versioned ? 1 : 0);
        if (message.length < magic.length || !Arrays.equals(message, 0, magic.length, magic, 0, magic.length)) {
            throw new AuthenticationException(peer + " is not a multiprocessing4j peer: expected its " + what
                    + ", got " + describe(message));
        }
        if (versioned && message.length > magic.length && message[magic.length] != VERSION) {
            throw new AuthenticationException(peer + " speaks handshake version " + message[magic.length]
                    + "; this library speaks " + VERSION);
        }
        if (message.length != head + rest) {
            throw new AuthenticationException(peer + " sent a malformed " + what + " of " + message.length
                    + " bytes (expected " + (head + rest) + ")");
        }
        return Arrays.copyOfRange(message, head, message.length);
    }

    /**
     * {@return them for a message: printable ASCII quoted, anything else as a count}
     *
     * @param bytes bytes a peer sent
     */
    public static String describe(byte[] bytes) {
        int n = Math.min(bytes.length, 32);
        for (int i = 0; i < n; i++) {
            if (bytes[i] < 0x20 || bytes[i] > 0x7e) {
                return bytes.length + " bytes of binary data";
            }
        }
        return "\"" + new String(bytes, 0, n, StandardCharsets.US_ASCII) + (bytes.length > n ? "…" : "") + "\"";
    }

    private static byte[] hmac(byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            for (byte[] p : parts) {
                mac.update(p);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] all = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }
}
