package org.multiprocessing4j.ipc.socket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.io.IOException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.spi.Links;

/**
 * One authenticated link: frames out through a queue that the event loop drains many frames
 * to a write and one flush per drain (one write per small frame would cap loopback TCP at a few
 * hundred thousand frames a second), frames in handed whole to the receiver.
 */
final class NettyLink extends ChannelInboundHandlerAdapter implements Links.Link {
    private static final AttributeKey<NettyLink> KEY = AttributeKey.valueOf("multiprocessing4j.link");
    private static final int BATCH = 64 * 1024;

    private final Channel channel;
    private final String peer;
    private final Links.Receiver receiver;
    /** Frames: {@code byte[]}s, and {@link Links.GrowingFrame}s sealed as they are written. */
    private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final Object writability = new Object();
    private volatile boolean closing;
    private volatile @Nullable Throwable failure;

    NettyLink(Channel channel, String peer, Links.Receiver receiver) {
        this.channel = channel;
        this.peer = peer;
        this.receiver = receiver;
        channel.attr(KEY).set(this);
    }

    /**
     * {@return its link, or null while it is still authenticating (or is a server channel)}
     *
     * @param channel a channel
     */
    static @Nullable NettyLink of(Channel channel) {
        return channel.attr(KEY).get();
    }

    @Override
    public void send(byte[] frame, boolean mayWait) throws IOException {
        enqueue(frame, mayWait);
    }

    @Override
    public void send(Links.GrowingFrame frame, boolean mayWait) throws IOException {
        enqueue(frame, mayWait);
    }

    private void enqueue(Object frame, boolean mayWait) throws IOException {
        if (closing || !channel.isActive()) {
            throw new IOException("the link to " + peer + " is closed");
        }
        if (mayWait && !channel.eventLoop().inEventLoop()) {
            awaitWritable();
        }
        queue.add(frame);
        if (drainScheduled.compareAndSet(false, true)) {
            channel.eventLoop().execute(this::drain);
        }
    }

    private void awaitWritable() throws IOException {
        synchronized (writability) {
            boolean interrupted = false;
            while (!channel.isWritable() && channel.isActive()) {
                try {
                    writability.wait(100);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (!channel.isActive()) {
            throw new IOException("the link to " + peer + " is closed");
        }
    }

    /** On the event loop: everything queued, in few writes, then one flush. */
    private void drain() {
        drainScheduled.set(false);
        ByteBuf batch = null;
        Object next;
        while ((next = queue.poll()) != null) {
            byte[] f = next instanceof Links.GrowingFrame growing ? growing.seal() : (byte[]) next;
            if (batch == null || batch.writableBytes() < 4 + f.length) {
                if (batch != null) {
                    channel.write(batch, channel.voidPromise());
                }
                batch = channel.alloc().buffer(Math.max(BATCH, 4 + f.length));
            }
            batch.writeInt(f.length).writeBytes(f);
        }
        if (batch != null) {
            channel.write(batch, channel.voidPromise());
        }
        channel.flush();
    }

    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        channel.eventLoop().execute(() -> {
            drain();
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        byte[] frame;
        try {
            frame = ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
        receiver.frame(frame);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        synchronized (writability) {
            writability.notifyAll();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        failure = cause;
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        synchronized (writability) {
            writability.notifyAll();
        }
        if (ended.compareAndSet(false, true)) {
            receiver.closed(failure);
        }
    }

    @Override
    public String toString() {
        return "link to " + peer;
    }
}
