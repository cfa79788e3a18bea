package io.github.zmqboot.monitor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.github.zmqboot.core.ZmqError;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.zeromq.SocketType;
import zmq.ZError;
import zmq.ZMQ;
import zmq.util.Errno;

/**
 * The engine event hook of one socket: turns the engine's events into {@link SocketEvent}s for its
 * {@link SocketMonitor} and counts the connections the engine dropped for an oversized inbound message.
 * <p>
 * How such a drop is told apart: JeroMQ 0.6.0 reports every end of a connection the same way
 * ({@code ZMQ_EVENT_DISCONNECTED}, with the bound or connected endpoint, not the remote one). When its decoder refuses
 * a frame larger than {@code max-message-size}, it sets the I/O thread's error code to {@code EMSGSIZE} and raises
 * that event at once, on that thread, with the connection still open. The hook runs right there: it reads the
 * thread's error code (and clears an {@code EMSGSIZE} so that it cannot be taken for the cause of a later disconnect)
 * and the connection's remote address. Limits: a socket without this hook (an engine socket made outside the starter)
 * that shares the I/O thread could leave a stale {@code EMSGSIZE} behind, and a disconnect the engine raises without
 * setting the error code (a handshake or heartbeat timeout) would then be taken for an oversize drop.
 */
public final class SocketEventHook implements ZMQ.EventConsummer {

    private static final Log logger = LogFactory.getLog(SocketEventHook.class);

    /** The engine's per-thread error code (every {@link Errno} instance reads the same thread-local). */
    private static final Errno ERRNO = new Errno();

    /** Peer addresses remembered per socket for the log-once rule; past this, drops are counted, not logged. */
    static final int MAX_LOGGED_PEERS = 1024;

    private final SocketMonitor monitor;

    private final String socketName;

    private final SocketType socketType;

    private final long maxMessageSize;

    private final AtomicLong oversizedMessageDrops = new AtomicLong();

    private final Set<String> loggedPeers = ConcurrentHashMap.newKeySet();

    private final AtomicBoolean loggedPeersFull = new AtomicBoolean();

    SocketEventHook(SocketMonitor monitor, String socketName, SocketType socketType, long maxMessageSize) {
        this.monitor = monitor;
        this.socketName = socketName;
        this.socketType = socketType;
        this.maxMessageSize = maxMessageSize;
    }

    /** A hook that is installed nowhere: its counters stay at zero. */
    static SocketEventHook detached(String socketName, SocketType socketType) {
        return new SocketEventHook(null, socketName, socketType, -1);
    }

    /** How many connections the engine dropped because an inbound message exceeded {@code max-message-size}. */
    public long oversizedMessageDrops() {
        return this.oversizedMessageDrops.get();
    }

    /** Called by the engine, on the thread where the event happened; must not block. */
    @Override
    public void consume(ZMQ.Event event) {
        SocketEvent.Kind kind = kindOf(event.event);
        if (kind == null || this.monitor == null) {
            return;
        }
        InetSocketAddress peer = event.arg instanceof SocketChannel channel ? remoteAddress(channel) : null;
        ZmqError error = null;
        int detail = 0;
        switch (kind) {
            case DISCONNECTED -> {
                if (ERRNO.get() == ZError.EMSGSIZE) {
                    ERRNO.set(0);
                    error = ZmqError.EMSGSIZE;
                    this.oversizedMessageDrops.incrementAndGet();
                }
            }
            case BIND_FAILED, ACCEPT_FAILED ->
                error = event.arg instanceof Integer errno ? ZmqError.fromErrno(errno) : ZmqError.EUNKNOWN;
            case HANDSHAKE_FAILED -> detail = event.arg instanceof Integer code ? code : 0;
            default -> {
            }
        }
        this.monitor.publish(this, new SocketEvent(this.socketName, this.socketType, kind, event.addr, peer, error,
                detail));
    }

    /** Logs the first oversize drop from each peer address at WARN; on the monitor thread. */
    void logOversizedMessageDrop(SocketEvent event) {
        String address = event.peer() == null ? "an unknown address"
                : event.peer().getAddress() != null ? event.peer().getAddress().getHostAddress()
                : event.peer().getHostString();
        if (!this.loggedPeers.contains(address) && this.loggedPeers.size() >= MAX_LOGGED_PEERS) {
            if (this.loggedPeersFull.compareAndSet(false, true)) {
                logger.warn("Socket '" + this.socketName + "' dropped connections with oversized messages from more "
                        + "than " + MAX_LOGGED_PEERS + " addresses; further addresses are counted, not logged");
            }
            return;
        }
        if (this.loggedPeers.add(address)) {
            logger.warn("Socket '" + this.socketName + "' dropped a connection from " + address + " (on "
                    + event.endpoint() + "): an inbound message was larger than max-message-size ("
                    + this.maxMessageSize + " bytes). Later drops from this address are counted, not logged ("
                    + oversizedMessageDrops() + " on this socket so far).");
        }
    }

    private static InetSocketAddress remoteAddress(SocketChannel channel) {
        try {
            SocketAddress address = channel.getRemoteAddress();
            return address instanceof InetSocketAddress inet ? inet : null;
        }
        catch (IOException | RuntimeException ex) {
            return null;
        }
    }

    private static SocketEvent.Kind kindOf(int event) {
        return switch (event) {
            case ZMQ.ZMQ_EVENT_CONNECTED -> SocketEvent.Kind.CONNECTED;
            case ZMQ.ZMQ_EVENT_ACCEPTED -> SocketEvent.Kind.ACCEPTED;
            case ZMQ.ZMQ_EVENT_DISCONNECTED -> SocketEvent.Kind.DISCONNECTED;
            case ZMQ.ZMQ_EVENT_BIND_FAILED -> SocketEvent.Kind.BIND_FAILED;
            case ZMQ.ZMQ_EVENT_ACCEPT_FAILED -> SocketEvent.Kind.ACCEPT_FAILED;
            case ZMQ.ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL, ZMQ.ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL,
                    ZMQ.ZMQ_EVENT_HANDSHAKE_FAILED_AUTH -> SocketEvent.Kind.HANDSHAKE_FAILED;
            default -> null;
        };
    }

    @Override
    public String toString() {
        return "SocketEventHook[" + this.socketName + "]";
    }
}
