package org.multiprocessing4j.ipc.socket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.AuthenticationException;
import org.multiprocessing4j.internal.net.Handshake;
import org.multiprocessing4j.spi.Links;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authkey handshake ({@link Handshake}, the same protocol as {@code Listener} and
 * {@code Client}) at the head of every channel, behind a frame decoder that accepts only
 * handshake-sized frames. When it succeeds it installs the link's own decoder (the maximum
 * frame size) and the {@link NettyLink}; when it fails the peer is told, the channel closed and
 * the attempt logged. A peer that does not finish within the time limit is closed.
 */
final class HandshakeHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(HandshakeHandler.class);
    private static final String DECODER = "frames";
    private static final String HANDSHAKE = "handshake";

    private final byte[] key;
    private final int maxFrameSize;
    private final long timeoutMillis;
    private final boolean server;
    private final Links.@Nullable Acceptor acceptor;
    private final Links.@Nullable Receiver receiver;
    private final @Nullable CompletableFuture<NettyLink> ready;
    private final String peerName;
    private byte @Nullable [] nonce;
    private Handshake.@Nullable Answer answer;
    private @Nullable ScheduledFuture<?> deadline;
    private boolean done;

    private HandshakeHandler(byte[] key, int maxFrameSize, long timeoutMillis, boolean server,
            Links.@Nullable Acceptor acceptor, Links.@Nullable Receiver receiver,
            @Nullable CompletableFuture<NettyLink> ready, String peerName) {
        this.key = key;
        this.maxFrameSize = maxFrameSize;
        this.timeoutMillis = timeoutMillis;
        this.server = server;
        this.acceptor = acceptor;
        this.receiver = receiver;
        this.ready = ready;
        this.peerName = peerName;
    }

    static void installServer(Channel ch, byte[] key, int maxFrameSize, long timeoutMillis, Links.Acceptor acceptor) {
        String peer = String.valueOf(ch.remoteAddress());
        ch.pipeline().addLast(DECODER, smallFrames())
                .addLast(HANDSHAKE, new HandshakeHandler(key, maxFrameSize, timeoutMillis, true, acceptor, null, null,
                        peer.equals("null") ? "a local process" : peer));
    }

    static void installClient(Channel ch, byte[] key, int maxFrameSize, long timeoutMillis, Links.Receiver receiver,
            String endpoint, CompletableFuture<NettyLink> ready) {
        ch.pipeline().addLast(DECODER, smallFrames())
                .addLast(HANDSHAKE, new HandshakeHandler(key, maxFrameSize, timeoutMillis, false, null, receiver, ready,
                        endpoint));
    }

    private static LengthFieldBasedFrameDecoder smallFrames() {
        return new LengthFieldBasedFrameDecoder(Handshake.MAX_MESSAGE + 4, 0, 4, 0, 4);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        deadline = ctx.executor().schedule(() -> {
            if (!done) {
                fail(ctx, new AuthenticationException(peerName + " did not complete the handshake within "
                        + timeoutMillis + " ms"));
            }
        }, timeoutMillis, TimeUnit.MILLISECONDS);
        if (server) {
            nonce = Handshake.newNonce();
            write(ctx, Handshake.hello(nonce));
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        byte[] message;
        ByteBuf buf = (ByteBuf) msg;
        try {
            message = ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
        if (done) {
            return;
        }
        try {
            if (server) {
                byte[] proof = Handshake.checkAnswer(key, nonce(), message, peerName);
                write(ctx, proof);
                NettyLink link = upgrade(ctx, l -> acceptor().accepted(l));
                LOG.debug("accepted {}", link);
            } else if (answer == null) {
                Handshake.Answer a = Handshake.answer(key, message, peerName);
                nonce = Handshake.challengeOf(message);
                answer = a;
                write(ctx, a.message());
            } else {
                Handshake.checkProof(key, nonce(), answer, message, peerName);
                NettyLink link = upgrade(ctx, l -> receiver());
                readyFuture().complete(link);
            }
        } catch (AuthenticationException refused) {
            if (server) {
                ctx.writeAndFlush(frame(ctx, Handshake.denial())).addListener(ChannelFutureListener.CLOSE);
                LOG.warn("refused a link from {}: {}", peerName, refused.getMessage());
                finish();
                return;
            }
            fail(ctx, refused);
        }
    }

    private NettyLink upgrade(ChannelHandlerContext ctx, java.util.function.Function<NettyLink, Links.Receiver> receiverOf) {
        finish();
        Channel ch = ctx.channel();
        Links.Receiver[] slot = new Links.Receiver[1];
        Links.Receiver forward = new Links.Receiver() {
            @Override
            public void frame(byte[] frame) {
                slot[0].frame(frame);
            }

            @Override
            public void closed(@Nullable Throwable cause) {
                slot[0].closed(cause);
            }
        };
        NettyLink link = new NettyLink(ch, peerName, forward);
        slot[0] = receiverOf.apply(link);
        ChannelPipeline p = ch.pipeline();
        // The link's decoder goes in before the handshake's is removed, so bytes that arrived
        // behind the handshake pass to it intact.
        p.addAfter(DECODER, "link-frames", new LengthFieldBasedFrameDecoder(maxFrameSize + 4, 0, 4, 0, 4));
        p.replace(this, "link", link);
        p.remove(DECODER);
        return link;
    }

    private void fail(ChannelHandlerContext ctx, Exception why) {
        finish();
        if (server && why instanceof AuthenticationException) {
            LOG.warn("refused a link from {}: {}", peerName, why.getMessage());
        } else if (server) {
            // A process that ended (or was killed) while linking: nothing to warn about.
            LOG.debug("a link from {} ended during its handshake: {}", peerName, why.getMessage());
        } else {
            readyFuture().completeExceptionally(why instanceof IOException io ? io
                    : new IOException(why.getMessage(), why));
        }
        ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!done) {
            fail(ctx, cause instanceof io.netty.handler.codec.TooLongFrameException
                    ? new AuthenticationException(peerName + " is not a multiprocessing4j peer: " + cause.getMessage(), cause)
                    : new IOException(peerName + " failed during the handshake: " + cause.getMessage(), cause));
        } else {
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!done) {
            fail(ctx, new IOException(peerName + " closed the connection during the authentication handshake"));
        }
        ctx.fireChannelInactive();
    }

    private void finish() {
        done = true;
        if (deadline != null) {
            deadline.cancel(false);
        }
    }

    private static void write(ChannelHandlerContext ctx, byte[] message) {
        ctx.writeAndFlush(frame(ctx, message));
    }

    private static ByteBuf frame(ChannelHandlerContext ctx, byte[] message) {
        return ctx.alloc().buffer(4 + message.length).writeInt(message.length).writeBytes(message);
    }

    private byte[] nonce() {
        byte[] n = nonce;
        if (n == null) {
            throw new AuthenticationException(peerName + " answered before it was challenged");
        }
        return n;
    }

    private Links.Acceptor acceptor() {
        return java.util.Objects.requireNonNull(acceptor);
    }

    private Links.Receiver receiver() {
        return java.util.Objects.requireNonNull(receiver);
    }

    private CompletableFuture<NettyLink> readyFuture() {
        return java.util.Objects.requireNonNull(ready);
    }
}
