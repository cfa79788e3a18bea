package io.github.zmqboot.core;

import java.net.InetSocketAddress;

import org.jspecify.annotations.Nullable;
import org.zeromq.SocketType;

/**
 * Something that happened to one connection or endpoint of a socket the starter created, as the engine reported it.
 *
 * @param socket the socket's name (its bean name for configured sockets)
 * @param socketType the socket's type
 * @param kind what happened
 * @param endpoint the socket's endpoint the event belongs to: for an accepted connection, the bound endpoint (the
 * engine does not report the remote one there; see {@code peer})
 * @param peer the remote address of the connection, when the engine handed over the connection and it was still open
 * (for {@link Kind#CONNECTED}, {@link Kind#ACCEPTED} and {@link Kind#DISCONNECTED} over tcp); otherwise null
 * @param error {@link Kind#BIND_FAILED} and {@link Kind#ACCEPT_FAILED}: the engine's error; {@link Kind#DISCONNECTED}:
 * {@link ZmqError#EMSGSIZE} when the engine dropped the connection because an inbound message was larger than
 * {@code max-message-size}, else null (the engine does not say why other connections ended)
 * @param detail {@link Kind#HANDSHAKE_FAILED}: the engine's ZMTP protocol error code
 * ({@code ZMQ_PROTOCOL_ERROR_*}); otherwise 0
 */
public record SocketEvent(String socket, SocketType socketType, Kind kind, String endpoint,
        @Nullable InetSocketAddress peer, @Nullable ZmqError error, int detail) {

    /** Whether the engine dropped this connection because an inbound message exceeded {@code max-message-size}. */
    public boolean oversizedMessage() {
        return this.kind == Kind.DISCONNECTED && this.error == ZmqError.EMSGSIZE;
    }

    /** The kinds of events the starter reports. */
    public enum Kind {

        /** An outgoing connection was established (before the ZMTP handshake). */
        CONNECTED,
        /** An incoming connection was accepted on a bound endpoint (before the ZMTP handshake). */
        ACCEPTED,
        /** A connection ended: closed by the peer, dropped by the engine (protocol error, oversized message,
         * handshake or heartbeat timeout), or closed by this side. */
        DISCONNECTED,
        /** A security handshake (ZAP, CURVE, PLAIN, NULL command) failed; the connection is dropped. */
        HANDSHAKE_FAILED,
        /** A bind failed in the engine (after the endpoint was accepted). */
        BIND_FAILED,
        /** Accepting an incoming connection failed. */
        ACCEPT_FAILED
    }
}
