package io.github.zmqboot.internal.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

import io.netty.channel.embedded.EmbeddedChannel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import zmq.Msg;
import zmq.Options;
import zmq.SocketBase;
import zmq.ZError;
import zmq.io.IEngine;
import zmq.io.IOObject;
import zmq.io.SessionBase;
import zmq.io.StreamEngine.ErrorReason;
import zmq.io.mechanism.Mechanism;
import zmq.io.net.Address;
import zmq.poll.IPollEvents;
import zmq.poll.Poller;

/**
 * The first part of {@link WsEngine}: a ws/wss connection's state and its end (a failure, the session's terminate),
 * and the guard that keeps a bug in an engine callback from ending the I/O thread. {@link WsOutput} sends, and
 * {@link WsEngine} receives and handshakes, on this state; one object a connection.
 */
abstract class WsConnection implements IEngine, IPollEvents {

    private static final Log logger = LogFactory.getLog(WsConnection.class);

    static final int HANDSHAKE_TIMER_ID = 0x40;

    static final int HEARTBEAT_IVL_TIMER_ID = 0x81;

    static final int HEARTBEAT_TIMEOUT_TIMER_ID = 0x82;

    final SocketChannel fd;

    final Options options;

    final String endpoint;

    private final Runnable onConnectionLost;

    private final boolean connecting;

    /** Run once when this engine ends (an accepted connection gives back its place under max-connections). */
    private Runnable onClosed;

    final WsPipeline pipeline;

    final Address peerAddress;

    /** The remote IP address (no port), for refusal logs limited per address. */
    final String remoteIp;

    final ArrayDeque<Msg> inbound = new ArrayDeque<>();

    SessionBase session;

    SocketBase socket;

    IOObject ioObject;

    Poller.Handle handle;

    EmbeddedChannel channel;

    Mechanism mechanism;

    /** The data codec, from the upgrade on: the gate then hands the bytes to it instead of Netty's handlers. */
    WsFrames frames;

    /** ws after its upgrade: bytes go between the socket and {@link #frames} without the pipeline. */
    boolean direct;

    boolean ready;

    boolean inputStopped;

    boolean outputStopped = true;

    boolean hasHandshakeTimer;

    boolean hasHeartbeatTimer;

    boolean hasTimeoutTimer;

    ErrorReason failure;

    boolean plugged;

    /** Whether the peer sent a frame larger than max-message-size: the drop is reported as over tcp (EMSGSIZE). */
    boolean oversized;

    WsConnection(SocketChannel fd, Options options, String endpoint, EngineFactory.Connection connection,
            WsPipeline pipeline) {
        this.fd = fd;
        this.options = options;
        this.endpoint = endpoint;
        this.onConnectionLost = connection.onConnectionLost();
        this.connecting = connection.connecting();
        this.onClosed = connection.onClosed();
        this.pipeline = pipeline;
        try {
            // as libzmq (and JeroMQ over tcp): each frame is its own write, which Nagle would hold back
            fd.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
        catch (IOException ex) {
            // the connection is gone already: its first read or write reports it
        }
        InetSocketAddress remote = null;
        try {
            remote = (fd.getRemoteAddress() instanceof InetSocketAddress inet) ? inet : null;
        }
        catch (IOException ex) {
            // closed already: the first read fails
        }
        this.peerAddress = (remote != null) ? new Address(remote) : new Address(zmq.io.net.NetProtocol.tcp, "");
        this.remoteIp = (remote != null) ? remote.getAddress().getHostAddress() : "";
    }

    @Override
    public void terminate() {
        unplug();
        destroy();
    }

    private void unplug() {
        if (!this.plugged) {
            return;
        }
        this.plugged = false;
        if (this.hasHandshakeTimer) {
            this.ioObject.cancelTimer(HANDSHAKE_TIMER_ID);
            this.hasHandshakeTimer = false;
        }
        if (this.hasHeartbeatTimer) {
            this.ioObject.cancelTimer(HEARTBEAT_IVL_TIMER_ID);
            this.hasHeartbeatTimer = false;
        }
        if (this.hasTimeoutTimer) {
            this.ioObject.cancelTimer(HEARTBEAT_TIMEOUT_TIMER_ID);
            this.hasTimeoutTimer = false;
        }
        this.ioObject.removeHandle(this.handle);
        this.handle = null;
        this.ioObject.unplug();
        this.session = null;
    }

    private void destroy() {
        try {
            this.fd.close();
        }
        catch (IOException ex) {
            // closing anyway
        }
        if (this.channel != null) {
            try {
                this.channel.finishAndReleaseAll();
            }
            catch (Exception ex) { // NOPMD: what the pipeline recorded on the way down; the connection is gone
                // nothing to do
            }
            this.channel = null;
        }
        if (this.mechanism != null) {
            this.mechanism.destroy();
        }
        this.inbound.clear();
        if (this.onClosed != null) {
            Runnable closed = this.onClosed;
            this.onClosed = null;
            closed.run();
        }
    }

    /**
     * Runs an engine callback on the I/O thread; a bug in it fails this connection (logged with its stack) instead of
     * ending the I/O thread and every connection on it.
     */
    final void guarded(Runnable callback) {
        try {
            callback.run();
        }
        catch (RuntimeException ex) {
            logger.warn("Closing a connection on " + this.endpoint + " after an unexpected error", ex);
            if (this.plugged) {
                error(ErrorReason.PROTOCOL);
            }
        }
    }

    final void protocolError(String what) {
        if (!this.plugged) {
            return; // already ended (e.g. by the handshake timer): what the pipeline reports on its way down is no news
        }
        this.socket.eventHandshakeFailedProtocol(this.endpoint, ZError.EPROTO);
        WsRefusals.refused(this.socket, this.remoteIp, this.endpoint, what);
        this.failure = ErrorReason.PROTOCOL;
    }

    final void error(ErrorReason reason) {
        if (!this.plugged) {
            return;
        }
        if (this.oversized) {
            // as JeroMQ's decoder: the socket's event hook reads EMSGSIZE on this thread with the disconnect
            this.options.errno.set(ZError.EMSGSIZE);
        }
        this.socket.eventDisconnected(this.endpoint, this.fd);
        SessionBase owner = this.session;
        owner.flush();
        if (this.onConnectionLost != null && reason != ErrorReason.PROTOCOL) {
            this.onConnectionLost.run();
        }
        // detaches a connecting ZMQ_IMMEDIATE session's pipe as the session's own reconnect would
        EngineAccess.engineError(owner, this.options, this.connecting, this.ready, reason);
        unplug();
        destroy();
    }

    @Override
    public String getEndPoint() {
        return this.endpoint;
    }

    @Override
    public void connectEvent() {
    }

    @Override
    public void acceptEvent() {
    }
}
