package org.multiprocessing4j.internal.net;

import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.ByteChannel;
import org.multiprocessing4j.AuthenticationException;

/** {@link Handshake} over a blocking channel. */
final class HandshakeIo {
    private HandshakeIo() {
    }

    /**
     * The server's side: challenge, check the answer, prove.
     *
     * @param ch   the accepted channel
     * @param key  the authkey
     * @param peer the client's address, for messages
     * @throws AuthenticationException if the client failed; it was told, and the caller closes
     * @throws IOException             if the channel failed or ended
     */
    static void serve(ByteChannel ch, byte[] key, String peer) throws IOException {
        byte[] nonce = Handshake.newNonce();
        BlockingFrames.write(ch, Handshake.hello(nonce));
        byte[] answer = readMessage(ch, peer);
        byte[] proof;
        try {
            proof = Handshake.checkAnswer(key, nonce, answer, peer);
        } catch (AuthenticationException failed) {
            try {
                BlockingFrames.write(ch, Handshake.denial());
            } catch (IOException gone) {
                failed.addSuppressed(gone);
            }
            throw failed;
        }
        BlockingFrames.write(ch, proof);
    }

    /**
     * The client's side: answer the challenge, check the server's proof.
     *
     * @param ch   the connected channel
     * @param key  the authkey
     * @param peer the server's address, for messages
     * @throws AuthenticationException if either side failed to prove the key
     * @throws IOException             if the channel failed or ended
     */
    static void connect(ByteChannel ch, byte[] key, String peer) throws IOException {
        byte[] hello = readMessage(ch, peer);
        Handshake.Answer answer = Handshake.answer(key, hello, peer);
        BlockingFrames.write(ch, answer.message());
        byte[] proof = readMessage(ch, peer);
        Handshake.checkProof(key, Handshake.challengeOf(hello), answer, proof, peer);
    }

    private static byte[] readMessage(ByteChannel ch, String peer) throws IOException {
        byte[] m;
        try {
            m = BlockingFrames.read(ch, Handshake.MAX_MESSAGE, peer);
        } catch (org.multiprocessing4j.internal.wire.WireException garbage) {
            throw new AuthenticationException(peer + " is not a multiprocessing4j peer: " + garbage.getMessage(),
                    garbage);
        }
        if (m == null) {
            throw new EOFException(peer + " closed the connection during the authentication handshake");
        }
        return m;
    }
}
