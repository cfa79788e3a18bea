package io.github.zmqboot.internal.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import zmq.Msg;
import zmq.Options;
import zmq.ZError;
import zmq.io.StreamEngine.ErrorReason;

/**
 * The second part of {@link WsEngine}: what a ws/wss connection sends, in order: what the pipeline produced (the
 * upgrade, TLS), the session's messages encoded a batch a write, the handshake's commands, pings and the close frame;
 * and the timers (the handshake's deadline, the heartbeat).
 */
abstract class WsOutput extends WsConnection {

    /** The frames encoded for one write (a larger message gets a buffer of its own). */
    private static final int OUT_BATCH_BYTES = 16 * 1024;

    /** Stop pulling from the session once less than this is left in the batch. */
    private static final int OUT_BATCH_MARGIN = 256;

    /** Bytes to write, in order: what the pipeline produced (upgrade, TLS) and frames encoded here. */
    private final WsOutbound outbound = new WsOutbound();

    /** The gate's context (see {@link WsEngine}): frames written from here pass TLS alone. */
    ChannelHandlerContext gateContext;

    /**
     * Frames pulled from the session, encoded for one write; reused once written (ws), copied (wss). Allocated by the
     * first send: a connection that only receives holds none.
     */
    private ByteBuffer batch;

    private boolean closeSent;

    WsOutput(SocketChannel fd, Options options, String endpoint, EngineFactory.Connection connection,
            WsPipeline pipeline) {
        super(fd, options, endpoint, connection, pipeline);
    }

    /**
     * Acts on what the last input (through the pipeline or, for ws after the upgrade, straight to the codec)
     * produced: a failure, bytes to send, a closed channel.
     */
    final void afterPipeline() {
        if (!this.plugged) {
            return;
        }
        if (!this.direct) {
            if (this.failure == null && !this.channel.isOpen()) {
                if (this.ready) {
                    this.failure = ErrorReason.CONNECTION; // TLS closed
                }
                else {
                    protocolError("the WebSocket upgrade was refused");
                }
            }
            collectOutbound();
            // ws: the pipeline's part (the upgrade) is over once it is written out
            this.direct = this.frames != null && !this.pipeline.secure();
        }
        if (!this.outbound.isEmpty()) {
            writeOut();
        }
        if (this.failure != null && this.plugged) {
            error(this.failure);
        }
    }

    @Override
    public void outEvent() {
        guarded(this::outEventUnguarded);
    }

    private void outEventUnguarded() {
        if (!this.plugged) {
            return;
        }
        boolean more = false;
        writeOut(); // what is queued already (the handshake's last commands) goes first
        if (this.plugged && this.outbound.isEmpty() && this.ready) {
            more = pullFromSession();
            writeOut();
        }
        if (!this.plugged) {
            return;
        }
        if (this.outbound.isEmpty() && !more) {
            if (!this.outputStopped) {
                this.ioObject.resetPollOut(this.handle);
                this.outputStopped = true;
            }
        }
        else if (this.outputStopped) {
            this.ioObject.setPollOut(this.handle);
            this.outputStopped = false;
        }
    }

    @Override
    public void restartOutput() {
        guarded(this::restartOutputUnguarded);
    }

    private void restartOutputUnguarded() {
        if (!this.plugged) {
            return;
        }
        if (this.outputStopped) {
            this.ioObject.setPollOut(this.handle);
            this.outputStopped = false;
        }
        outEvent();
    }

    /**
     * Encodes messages from the session into one batch until the session is empty or the batch is full, and queues
     * the batch for writing (wss: through the pipeline's TLS).
     *
     * @return true when the batch is full (the session may hold more: keep polling for output)
     */
    private boolean pullFromSession() {
        if (this.batch == null) {
            this.batch = ByteBuffer.allocate(OUT_BATCH_BYTES);
        }
        ByteBuffer frames = this.batch;
        frames.clear();
        ByteBuffer large = null;
        boolean full = true;
        while (frames.remaining() >= OUT_BATCH_MARGIN) {
            Msg msg = EngineAccess.pullMsg(this.session);
            if (msg == null) {
                full = false;
                break;
            }
            msg = this.mechanism.encode(msg);
            int size = this.frames.frameSize(msg.size());
            if (size <= frames.remaining()) {
                this.frames.encode(msg, frames);
            }
            else {
                large = ByteBuffer.allocate(size);
                this.frames.encode(msg, large);
                large.flip();
                break;
            }
        }
        frames.flip();
        if (frames.hasRemaining()) {
            // wss: SslHandler may keep what it is given until it is encrypted, and the batch is reused
            queueFrames(this.pipeline.secure() ? ByteBuffer.allocate(frames.remaining()).put(frames).flip() : frames);
        }
        if (large != null) {
            queueFrames(large);
        }
        if (!this.direct) {
            collectOutbound();
        }
        return full;
    }

    /** A handshake command, as one frame. */
    final void writeFrame(Msg msg) {
        ByteBuffer frame = ByteBuffer.allocate(this.frames.frameSize(msg.size()));
        this.frames.encode(msg, frame);
        queueFrames(frame.flip());
    }

    /**
     * Queues encoded frames after everything queued before: wss through TLS (flushed by {@link #collectOutbound}),
     * ws straight to the outbound queue (after what the pipeline produced: the upgrade response).
     */
    final void queueFrames(ByteBuffer encoded) {
        if (this.pipeline.secure()) {
            if (this.channel.isOpen()) {
                this.gateContext.write(Unpooled.wrappedBuffer(encoded));
            }
            return;
        }
        if (!this.direct) {
            this.outbound.drain(this.channel);
        }
        this.outbound.add(encoded);
    }

    private void collectOutbound() {
        if (this.channel == null) {
            return;
        }
        try {
            if (this.channel.isOpen()) {
                // on a closed channel EmbeddedChannel.flushOutbound throws ClosedChannelException
                this.channel.flushOutbound();
            }
        }
        catch (Exception ex) { // NOPMD: EmbeddedChannel rethrows checked exceptions unchecked
            if (this.failure == null) {
                protocolError(WsRefusals.describe(ex));
            }
        }
        this.outbound.drain(this.channel);
    }

    private void writeOut() {
        if (!this.plugged) {
            return;
        }
        boolean written;
        try {
            written = this.outbound.writeTo(this.fd);
        }
        catch (IOException ex) {
            error(ErrorReason.CONNECTION);
            return;
        }
        if (!written && this.outputStopped) {
            this.ioObject.setPollOut(this.handle);
            this.outputStopped = false;
        }
    }

    @Override
    public void timerEvent(int id) {
        guarded(() -> timerEventUnguarded(id));
    }

    private void timerEventUnguarded(int id) {
        if (id == HANDSHAKE_TIMER_ID) {
            this.hasHandshakeTimer = false;
            this.socket.eventHandshakeFailedNoDetail(this.endpoint, ZError.ETIMEDOUT);
            WsRefusals.refused(this.socket, this.remoteIp, this.endpoint, "the handshake did not complete within"
                    + " handshake-interval (" + this.options.handshakeIvl + " ms)");
            error(ErrorReason.TIMEOUT);
        }
        else if (id == HEARTBEAT_IVL_TIMER_ID) {
            queueFrames(this.frames.encodeControl(WsFrames.OPCODE_PING, new byte[0]));
            afterPipeline();
            if (this.plugged) {
                this.ioObject.addTimer(this.options.heartbeatInterval, HEARTBEAT_IVL_TIMER_ID);
                if (!this.hasTimeoutTimer) {
                    int timeout = (this.options.heartbeatTimeout == -1) ? this.options.heartbeatInterval
                            : this.options.heartbeatTimeout;
                    this.ioObject.addTimer(timeout, HEARTBEAT_TIMEOUT_TIMER_ID);
                    this.hasTimeoutTimer = true;
                }
            }
        }
        else if (id == HEARTBEAT_TIMEOUT_TIMER_ID) {
            this.hasTimeoutTimer = false;
            error(ErrorReason.TIMEOUT);
        }
    }

    final void sendClose(int status) {
        if (!this.closeSent) {
            this.closeSent = true;
            queueFrames(this.frames.encodeClose(status));
        }
    }
}
