package io.github.zmqboot.internal.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;
import zmq.Msg;
import zmq.Options;
import zmq.ZError;
import zmq.io.IOObject;
import zmq.io.IOThread;
import zmq.io.Metadata;
import zmq.io.SessionBase;
import zmq.io.StreamEngine.ErrorReason;
import zmq.io.mechanism.Mechanism;
import zmq.util.Blob;

/**
 * ZeroMQ over WebSocket as libzmq 4.3.4's {@code ws_engine} (ZWS 2.0, RFC 45), on the engine's I/O thread. The
 * HTTP upgrade and TLS are Netty's codecs, driven through an {@link EmbeddedChannel} with the bytes this engine reads
 * from and writes to its channel; no Netty threads. After the upgrade (the subprotocol names the mechanism:
 * {@code ZWS2.0/NULL}, {@code ZWS2.0/PLAIN}, {@code ZWS2.0/CURVE}) each ZeroMQ frame is one binary WebSocket message,
 * a flags byte (1 more, 2 command) and the frame, encoded and decoded by {@link WsFrames} on this engine's buffers: a
 * whole batch of frames per write, and for ws no Netty at all from then on (wss passes each batch through the
 * {@code SslHandler}). The mechanism is JeroMQ's own (NULL, PLAIN, CURVE with ZAP); heartbeats are WebSocket pings,
 * a ping is answered with a pong, a close frame with a close frame. What RFC 6455 or ZWS forbids (text, fragmented,
 * RSV, wrongly masked or oversized frames) fails the connection after a close frame with the reason's status.
 * {@code handshake-interval} covers the whole handshake, upgrade and mechanism.
 * <p>
 * The engine is split in three classes, one object a connection: {@link WsConnection} (state, the end of a
 * connection), {@link WsOutput} (what is sent, the timers) and this one (plug, what is received, the handshake).
 */
final class WsEngine extends WsOutput {

    /**
     * One read's bytes. 16 KiB (with a 16 KiB send batch) measured best for 64-byte messages: 64 KiB reads decode
     * about as many frames as a pipe holds at its default high-water mark (1000), so input paused about 2,000 times a
     * second, and some runs settled at half the throughput with the sender's I/O thread writing 5 messages per
     * write system call, woken by each send; 8 KiB (JeroMQ's batch) costs more system calls.
     */
    private static final int READ_BUFFER_SIZE = 16 * 1024;

    private final ByteBuffer readBuffer = ByteBuffer.allocate(READ_BUFFER_SIZE);

    private final Gate gate = new Gate();

    private final WsFrames.Receiver receiver = new Received();

    private Metadata metadata;

    /** Whether the codec is decoding the engine's read buffer (see {@link #dataIn}). */
    private boolean pausable;

    private boolean credentialSent;

    WsEngine(SocketChannel fd, Options options, String endpoint, EngineFactory.Connection connection,
            WsPipeline pipeline) {
        super(fd, options, endpoint, connection, pipeline);
    }

    @Override
    public void plug(IOThread ioThread, SessionBase session) {
        this.session = session;
        this.socket = session.getSocket();
        this.ioObject = new IOObject(ioThread, this);
        this.ioObject.plug();
        this.handle = this.ioObject.addFd(this.fd);
        this.plugged = true;
        if (this.options.handshakeIvl > 0) {
            this.ioObject.addTimer(this.options.handshakeIvl, HANDSHAKE_TIMER_ID);
            this.hasHandshakeTimer = true;
        }
        this.channel = this.pipeline.open(this.options, this.gate, new Frames());
        this.ioObject.setPollIn(this.handle);
        afterPipeline();
        if (this.plugged) {
            inEvent();
        }
    }

    @Override
    public void inEvent() {
        guarded(this::inEventUnguarded);
    }

    /** Reads once (the poller calls again while there is more), as JeroMQ's own engine. */
    private void inEventUnguarded() {
        if (!this.plugged || this.inputStopped) {
            return;
        }
        this.readBuffer.clear();
        int read;
        try {
            read = this.fd.read(this.readBuffer);
        }
        catch (IOException ex) {
            error(ErrorReason.CONNECTION);
            return;
        }
        if (read == -1) {
            error(ErrorReason.CONNECTION);
            return;
        }
        if (read > 0) {
            this.readBuffer.flip();
            if (this.direct) {
                dataIn(this.readBuffer, true);
            }
            else {
                try {
                    this.channel.writeInbound(Unpooled.copiedBuffer(this.readBuffer));
                }
                catch (Exception ex) { // NOPMD: EmbeddedChannel rethrows checked exceptions unchecked
                    // EmbeddedChannel rethrows what reached the end of the pipeline unhandled
                    if (this.failure == null) {
                        protocolError(WsRefusals.describe(ex));
                    }
                }
            }
            afterPipeline();
        }
        if (this.plugged && this.session != null) {
            this.session.flush();
        }
    }

    @Override
    public void restartInput() {
        guarded(this::restartInputUnguarded);
    }

    private void restartInputUnguarded() {
        if (!this.plugged) {
            return;
        }
        if (!drainInbound()) {
            this.session.flush();
            return;
        }
        this.inputStopped = false;
        if (this.direct && this.readBuffer.hasRemaining()) {
            // what the decoder left in the read buffer when the pipe filled up
            dataIn(this.readBuffer, true);
            afterPipeline();
            if (!this.plugged) {
                return;
            }
            if (this.inputStopped) {
                this.session.flush();
                return;
            }
        }
        this.ioObject.setPollIn(this.handle);
        this.session.flush();
        inEvent();
    }

    @Override
    public void zapMsgAvailable() {
        guarded(this::zapMsgAvailableUnguarded);
    }

    private void zapMsgAvailableUnguarded() {
        if (this.mechanism.zapMsgAvailable() == -1) {
            error(ErrorReason.PROTOCOL);
            return;
        }
        advanceHandshake();
        afterPipeline();
        if (this.inputStopped) {
            restartInput();
        }
    }

    /**
     * Called by the pipeline's last handler once the upgrade succeeded with {@code subprotocol}: from here on the gate
     * hands the bytes to this engine's codec.
     */
    private void upgraded(String subprotocol) {
        if (!this.pipeline.mechanismSubprotocol(this.options).equals(subprotocol)) {
            protocolError("subprotocol '" + subprotocol + "'");
            return;
        }
        this.frames = new WsFrames(this.pipeline.server(), this.options.maxMsgSize);
        this.mechanism = this.options.mechanism.create(this.session, this.peerAddress, this.options);
        advanceHandshake();
    }

    /** Sends the mechanism's next commands; becomes ready when the mechanism is. */
    private void advanceHandshake() {
        while (!this.ready && this.failure == null) {
            if (this.mechanism.status() == Mechanism.Status.READY) {
                mechanismReady();
                return;
            }
            if (this.mechanism.status() == Mechanism.Status.ERROR) {
                this.socket.eventHandshakeFailedProtocol(this.endpoint, ZError.EPROTO);
                this.failure = ErrorReason.PROTOCOL;
                return;
            }
            Msg.Builder command = new Msg.Builder();
            if (this.mechanism.nextHandshakeCommand(command) != 0) {
                return; // EAGAIN: waits for the peer's command or the ZAP reply
            }
            command.setFlags(Msg.COMMAND);
            writeFrame(command.build());
        }
    }

    private void mechanismReady() {
        this.ready = true;
        if (this.hasHandshakeTimer) {
            this.ioObject.cancelTimer(HANDSHAKE_TIMER_ID);
            this.hasHandshakeTimer = false;
        }
        if (this.options.heartbeatInterval > 0) {
            this.ioObject.addTimer(this.options.heartbeatInterval, HEARTBEAT_IVL_TIMER_ID);
            this.hasHeartbeatTimer = true;
        }
        if (this.options.recvIdentity) {
            if (!EngineAccess.pushMsg(this.session, this.mechanism.peerIdentity())) {
                return; // the pipe is being shut down
            }
        }
        Metadata compiled = new Metadata();
        if (!this.peerAddress.address().isEmpty()) {
            compiled.set(Metadata.PEER_ADDRESS, this.peerAddress.address());
        }
        compiled.set(this.mechanism.zapProperties);
        compiled.set(this.mechanism.zmtpProperties);
        this.metadata = compiled.isEmpty() ? null : compiled;
        this.socket.eventHandshakeSucceeded(this.endpoint, 0);
        this.socket.eventHandshaken(this.endpoint, 3);
        this.session.flush();
        restartOutput();
    }

    /** Anything from the peer shows it is alive. */
    private void heardFromPeer() {
        if (this.hasTimeoutTimer) {
            this.ioObject.cancelTimer(HEARTBEAT_TIMEOUT_TIMER_ID);
            this.hasTimeoutTimer = false;
        }
    }

    /**
     * Bytes from the peer after the upgrade (ws straight from the socket, wss from TLS) into the codec.
     *
     * @param pausable whether {@code bytes} is the engine's read buffer: then a full pipe pauses the decoder and the
     * rest waits in the buffer until {@link #restartInput()} (else the rest is decoded and queued)
     */
    private void dataIn(ByteBuffer bytes, boolean pausable) {
        if (this.failure != null) {
            return;
        }
        this.pausable = pausable;
        this.frames.decode(bytes, this.receiver);
        if (this.frames.refusal() != null && this.failure == null) {
            this.oversized = this.frames.oversized();
            protocolError(this.frames.refusal());
            sendClose(this.frames.refusalStatus()); // RFC 6455 section 7.1.7, best effort
        }
    }

    /** One binary WebSocket message from the peer: a ZeroMQ frame. */
    private void received(Msg msg) {
        heardFromPeer();
        if (!this.ready) {
            if (this.mechanism == null || !msg.isCommand()) {
                protocolError("a message before the handshake completed");
                return;
            }
            if (this.mechanism.processHandshakeCommand(msg) != 0) {
                this.socket.eventHandshakeFailedProtocol(this.endpoint, ZError.EPROTO);
                this.failure = ErrorReason.PROTOCOL;
                return;
            }
            advanceHandshake();
            return;
        }
        Msg decoded = this.mechanism.decode(msg);
        if (decoded == null) {
            this.failure = ErrorReason.PROTOCOL;
            return;
        }
        // a command goes to the session too, as in JeroMQ's StreamEngine and libzmq's ws_engine: a RADIO's session
        // takes DISH's JOIN and LEAVE from there, every other session drops commands (ZWS heartbeats are WebSocket
        // pings, not commands)
        if (this.metadata != null) {
            decoded.setMetadata(this.metadata);
        }
        if (this.credentialSent && !this.inputStopped && this.inbound.isEmpty()) {
            if (!EngineAccess.pushMsg(this.session, decoded)) {
                this.inbound.add(decoded);
                stopInput();
            }
            return;
        }
        this.inbound.add(decoded);
        if (!this.inputStopped) {
            drainInbound();
        }
    }

    /** A ping, pong or close frame from the peer. */
    private void control(int opcode, byte[] payload) {
        heardFromPeer();
        if (opcode == WsFrames.OPCODE_PING) {
            queueFrames(this.frames.encodeControl(WsFrames.OPCODE_PONG, payload));
        }
        else if (opcode == WsFrames.OPCODE_CLOSE) {
            if (payload.length == 1) {
                protocolError("a close frame with a one-byte body");
                sendClose(WsFrames.STATUS_PROTOCOL_ERROR);
                return;
            }
            // answered with the peer's status (RFC 6455 section 5.5.1), then closed
            sendClose(payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF)
                    : WsFrames.STATUS_NORMAL);
            if (this.ready) {
                this.failure = ErrorReason.CONNECTION;
            }
            else {
                protocolError("a close frame before the handshake completed");
            }
        }
    }

    /** Pushes what the peer sent into the session; false (input stopped) when its pipe is full. */
    private boolean drainInbound() {
        if (!this.credentialSent && !this.inbound.isEmpty()) {
            Blob credential = this.mechanism.getUserId();
            if (credential != null && credential.size() > 0) {
                Msg msg = new Msg(credential.size());
                msg.put(credential.data(), 0, credential.size());
                msg.setFlags(Msg.CREDENTIAL);
                if (!EngineAccess.pushMsg(this.session, msg)) {
                    stopInput();
                    return false;
                }
            }
            this.credentialSent = true;
        }
        Msg next;
        while ((next = this.inbound.peek()) != null) {
            if (!EngineAccess.pushMsg(this.session, next)) {
                stopInput();
                return false;
            }
            this.inbound.poll();
        }
        return true;
    }

    private void stopInput() {
        if (!this.inputStopped) {
            this.inputStopped = true;
            this.ioObject.resetPollIn(this.handle);
        }
    }

    /** The pipeline's last handler: hands frames and events to the engine (same thread). */
    private final class Frames extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            // the upgrade's handlers pass nothing on: the gate hands the data after the upgrade to the codec
            try {
                if (WsEngine.this.failure == null) {
                    protocolError("an HTTP request that is not a WebSocket upgrade");
                }
            }
            finally {
                ReferenceCountUtil.release(message);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete complete) {
                upgraded(complete.selectedSubprotocol() == null ? "" : complete.selectedSubprotocol());
            }
            else if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                WebSocketClientProtocolHandler handler = ctx.pipeline().get(WebSocketClientProtocolHandler.class);
                String selected = handler.handshaker().actualSubprotocol();
                upgraded(selected == null ? "" : selected);
            }
            else {
                ctx.fireUserEventTriggered(event);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (WsEngine.this.failure == null) {
                protocolError(WsRefusals.describe(cause));
            }
        }
    }

    /**
     * The pipeline's first handler after TLS: until the upgrade it passes the bytes on to Netty's HTTP handlers, one
     * HTTP head at a time (up to its empty line, found by the line ends alone: Netty parses it); once the upgrade is
     * done it hands every byte to the engine's codec instead, the rest of the read that carried the upgrade's end
     * too. Frames to send are written from here, so they pass TLS alone.
     */
    private final class Gate extends ChannelInboundHandlerAdapter {

        /** Where the search for a head's end stands: 0 in a line, 1 after LF, 2 after LF CR. */
        private int lineEnd;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            WsEngine.this.gateContext = ctx;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            if (!(message instanceof ByteBuf bytes)) {
                ctx.fireChannelRead(message);
                return;
            }
            try {
                while (bytes.isReadable() && WsEngine.this.failure == null) {
                    if (WsEngine.this.frames != null) {
                        dataIn(bytes.nioBuffer(), false);
                        return;
                    }
                    ctx.fireChannelRead(bytes.readRetainedSlice(headLength(bytes)));
                }
            }
            finally {
                bytes.release();
            }
        }

        /** The readable bytes up to and including the end of an HTTP head, or all of them. */
        private int headLength(ByteBuf bytes) {
            int start = bytes.readerIndex();
            int end = bytes.writerIndex();
            for (int i = start; i < end; i++) {
                byte b = bytes.getByte(i);
                if (b == '\n') {
                    if (this.lineEnd != 0) {
                        this.lineEnd = 0;
                        return i - start + 1;
                    }
                    this.lineEnd = 1;
                }
                else {
                    this.lineEnd = (b == '\r' && this.lineEnd == 1) ? 2 : 0;
                }
            }
            return end - start;
        }

        @Override
        public boolean isSharable() {
            return false;
        }
    }

    /** The codec's frames, into the engine. */
    private final class Received implements WsFrames.Receiver {

        @Override
        public boolean frame(Msg msg) {
            received(msg);
            return WsEngine.this.failure == null && WsEngine.this.plugged
                    && !(WsEngine.this.pausable && WsEngine.this.inputStopped);
        }

        @Override
        public boolean control(int opcode, byte[] payload) {
            WsEngine.this.control(opcode, payload);
            return WsEngine.this.failure == null && WsEngine.this.plugged;
        }
    }
}
