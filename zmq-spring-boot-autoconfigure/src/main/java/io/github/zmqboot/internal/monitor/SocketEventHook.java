package io.github.zmqboot.internal.monitor;

import io.github.zmqboot.core.SocketEvent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicLong;

import io.github.zmqboot.core.ZmqError;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.zeromq.SocketType;
import zmq.SocketBase;
import zmq.ZError;
import zmq.ZMQ;
import zmq.util.Errno;

/**
 * The engine event hook of one socket: turns the engine's events into {@link SocketEvent}s for its
 * {@link SocketMonitor}, counts the connections the engine dropped for an oversized inbound message, and has the
 * monitor log hostile connections (oversize drops, failed handshakes) under the {@link SecurityLog} rule.
 * <p>
 * How such a drop is told apart: JeroMQ 0.6.0 reports every end of a connection the same way
 * ({@code ZMQ_EVENT_DISCONNECTED}, with the bound or connected endpoint, not the remote one). When its decoder refuses
 * a frame larger than {@code max-message-size}, it sets the I/O thread's error code to {@code EMSGSIZE} and raises
 * that event at once, on that thread, with the connection still open. The hook runs right there: it reads the
 * thread's error code (and clears an {@code EMSGSIZE} so that it cannot be taken for the cause of a later disconnect)
 * and the connection's remote address. Limits: a socket without this hook (an engine socket made outside the starter)
 * that shares the I/O thread could leave a stale {@code EMSGSIZE} behind, and a disconnect the engine raises without
 * setting the error code (a handshake or heartbeat timeout) would then be taken for an oversize drop.
 * <p>
 * A failed handshake is reported by the engine without the remote address ({@code ZMQ_EVENT_HANDSHAKE_FAILED_*}
 * carries a code); the engine then drops the connection on the same thread at once, and that
 * {@code ZMQ_EVENT_DISCONNECTED} carries the connection. The hook remembers the failure on its thread until that
 * disconnect, so the log line names the address the handshake came from.
 */
public final class SocketEventHook implements ZMQ.EventConsummer {

    private static final Log logger = LogFactory.getLog(SocketEventHook.class);

    /** The engine's per-thread error code (every {@link Errno} instance reads the same thread-local). */
    private static final Errno ERRNO = new Errno();

    /** A handshake failure raised on this thread, waiting for the disconnect that follows it. */
    private static final ThreadLocal<HandshakeFailure> PENDING_FAILURE = new ThreadLocal<>();

    /** The socket whose next disconnect on this thread was already logged by the component that caused it. */
    private static final ThreadLocal<SocketBase> END_LOGGED = new ThreadLocal<>();

    /** Where the events go (the {@link SocketMonitor} that attached this hook); null for a detached hook. */
    private final Publisher monitor;

    private final String socketName;

    private final SocketType socketType;

    private final SocketBase base;

    private final long maxMessageSize;

    private final AtomicLong oversizedMessageDrops = new AtomicLong();

    SocketEventHook(Publisher monitor, String socketName, SocketType socketType, SocketBase base,
            long maxMessageSize) {
        this.monitor = monitor;
        this.socketName = socketName;
        this.socketType = socketType;
        this.base = base;
        this.maxMessageSize = maxMessageSize;
    }

    /** A hook that is installed nowhere: its counters stay at zero. */
    static SocketEventHook detached(String socketName, SocketType socketType) {
        return new SocketEventHook(null, socketName, socketType, null, -1);
    }

    /**
     * Tells the hook of {@code socket} that the component ending a connection on this thread (e.g. a transport that
     * refused bad input) has logged it under the {@link SecurityLog} rule: the disconnect that follows on this thread
     * is counted and reported as usual, but not logged a second time.
     */
    public static void connectionEndLogged(SocketBase socket) {
        END_LOGGED.set(socket);
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
        HandshakeFailure failure = null;
        boolean logged = false;
        switch (kind) {
            case DISCONNECTED -> {
                if (ERRNO.get() == ZError.EMSGSIZE) {
                    ERRNO.set(0);
                    error = ZmqError.EMSGSIZE;
                    this.oversizedMessageDrops.incrementAndGet();
                }
                failure = takePendingFailure();
                logged = takeEndLogged();
            }
            case CONNECTED, ACCEPTED -> { // a new connection: what an earlier one left on this thread is stale
                takePendingFailure();
                takeEndLogged();
            }
            case BIND_FAILED, ACCEPT_FAILED ->
                error = event.arg instanceof Integer errno ? ZmqError.fromErrno(errno) : ZmqError.EUNKNOWN;
            case HANDSHAKE_FAILED -> {
                detail = event.arg instanceof Integer code ? code : 0;
                PENDING_FAILURE.set(new HandshakeFailure(this, event.event, detail));
            }
            default -> {
            }
        }
        this.monitor.publish(this, new SocketEvent(this.socketName, this.socketType, kind, event.addr, peer, error,
                detail), failure, !logged);
    }

    private boolean takeEndLogged() {
        if (END_LOGGED.get() != this.base) {
            return false;
        }
        END_LOGGED.remove();
        return true;
    }

    /** This hook's handshake failure raised on this thread and not yet followed by its disconnect, or null. */
    private HandshakeFailure takePendingFailure() {
        HandshakeFailure failure = PENDING_FAILURE.get();
        if (failure == null || failure.hook() != this) {
            return null;
        }
        PENDING_FAILURE.remove();
        return failure;
    }

    /**
     * Logs a hostile connection under the {@link SecurityLog} rule, on the monitor thread: an oversize drop, or a
     * connection dropped after its handshake failed.
     */
    void logHostileConnection(SocketEvent event, HandshakeFailure failure) {
        String address = SecurityLog.ip(event.peer());
        if (event.oversizedMessage()) {
            SecurityLog.warn(logger, this.base, address, () -> "Socket '" + this.socketName + "' dropped a connection"
                    + " from " + address + " (on " + event.endpoint() + "): an inbound message was larger than"
                    + " max-message-size (" + this.maxMessageSize + " bytes; " + oversizedMessageDrops()
                    + " such drops on this socket so far)");
        }
        else if (failure != null) {
            SecurityLog.warn(logger, this.base, address, () -> "Socket '" + this.socketName + "' dropped a connection"
                    + " from " + address + " (on " + event.endpoint() + "): " + failure.describe());
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

    /** A failed handshake as the engine raised it: the event and its code (errno, protocol error or ZAP status). */
    record HandshakeFailure(SocketEventHook hook, int event, int code) {

        String describe() {
            return switch (this.event) {
                case ZMQ.ZMQ_EVENT_HANDSHAKE_FAILED_AUTH -> "the other side refused this socket's credentials"
                        + " (ZAP status " + this.code + ")";
                case ZMQ.ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL -> "the handshake broke the protocol ("
                        + protocolError(this.code) + ")";
                default -> this.code == ZError.ETIMEDOUT
                        ? "the handshake did not complete within handshake-interval"
                        : "the handshake failed (errno " + this.code + ")";
            };
        }

        private static String protocolError(int code) {
            String name = switch (code) {
                case ZMQ.ZMQ_PROTOCOL_ERROR_ZMTP_UNSPECIFIED -> "unspecified";
                case ZMQ.ZMQ_PROTOCOL_ERROR_ZMTP_UNEXPECTED_COMMAND -> "unexpected command";
                case ZMQ.ZMQ_PROTOCOL_ERROR_ZMTP_INVALID_SEQUENCE -> "invalid sequence";
                case ZMQ.ZMQ_PROTOCOL_ERROR_ZMTP_KEY_EXCHANGE -> "key exchange";
                case ZMQ.ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_UNSPECIFIED,
                        ZMQ.ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_MESSAGE,
                        ZMQ.ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_HELLO,
                        ZMQ.ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_INITIATE,
                        ZMQ.ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_ERROR,
                        ZMQ.ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_READY,
                        ZMQ.ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_WELCOME -> "malformed command";
                case ZMQ.ZMQ_PROTOCOL_ERROR_ZMTP_INVALID_METADATA -> "invalid metadata";
                case ZMQ.ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC -> "cryptographic error";
                case ZMQ.ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH -> "security mechanism mismatch";
                default -> null;
            };
            String hex = "0x" + Integer.toHexString(code);
            return name != null ? name + ", " + hex : "code " + hex;
        }
    }

    /** Takes the events of a hook off the engine's thread (implemented by {@link SocketMonitor}). */
    @FunctionalInterface
    interface Publisher {

        /**
         * Queues an event; called on the engine's thread, never blocks.
         *
         * @param failure the failed handshake that ended this connection (a {@code DISCONNECTED} event), or null
         * @param log whether to log a hostile end of the connection (false: its cause logged it already)
         */
        void publish(SocketEventHook hook, SocketEvent event, HandshakeFailure failure, boolean log);
    }
}
