package io.github.zmqboot.internal.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;

/**
 * The bytes a ws/wss connection has to write, in order: what its pipeline produced (the upgrade, TLS records) and the
 * frames its engine encoded. Only the engine's I/O thread uses it.
 */
final class WsOutbound {

    private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();

    private final ArrayDeque<ByteBuf> produced = new ArrayDeque<>();

    boolean isEmpty() {
        return this.queue.isEmpty();
    }

    void add(ByteBuffer bytes) {
        this.queue.add(bytes);
    }

    /** Moves what the pipeline produced to the queue, as one buffer: one write for all of it. */
    void drain(EmbeddedChannel channel) {
        ArrayDeque<ByteBuf> produced = this.produced;
        int total = 0;
        Object out;
        while ((out = channel.readOutbound()) != null) {
            if (out instanceof ByteBuf buf && buf.isReadable()) {
                produced.add(buf);
                total += buf.readableBytes();
            }
            else {
                ReferenceCountUtil.release(out); // empty, or a frame written after the encoder was gone (closing)
            }
        }
        if (total == 0) {
            return;
        }
        ByteBuffer batch = ByteBuffer.allocate(total);
        ByteBuf buf;
        while ((buf = produced.poll()) != null) {
            try {
                int length = buf.readableBytes();
                buf.readBytes(batch.array(), batch.arrayOffset() + batch.position(), length);
                batch.position(batch.position() + length);
            }
            finally {
                buf.release();
            }
        }
        batch.flip();
        this.queue.add(batch);
    }

    /**
     * Writes the queued bytes, in order, until all are written or {@code fd} takes no more.
     *
     * @return whether all were written (else the rest waits for room in the socket's buffer)
     * @throws IOException when the write fails: the connection is gone
     */
    boolean writeTo(SocketChannel fd) throws IOException {
        ByteBuffer head;
        while ((head = this.queue.peek()) != null) {
            fd.write(head);
            if (head.hasRemaining()) {
                return false;
            }
            this.queue.poll();
        }
        return true;
    }
}
