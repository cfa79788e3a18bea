package io.github.zmqboot.internal.transport;

import java.util.concurrent.ConcurrentHashMap;

import zmq.SocketBase;

/**
 * The connection guards of one socket factory's sockets, by socket name: each socket's {@code max-connections}, and
 * the counts of the connections its transports refused or dropped as hostile. A socket made anew under the same name
 * (a proxy's restart, a REQ replaced after a timeout) keeps the counts of the name.
 */
public final class ConnectionGuards {

    private final ConcurrentHashMap<String, ConnectionGuard> byName = new ConcurrentHashMap<>();

    /**
     * Gives a new socket the guard of its name.
     *
     * @param maxConnections the most inbound connections at once, over all its bound endpoints; -1 for no limit
     */
    public void register(SocketBase socket, String socketName, int maxConnections) {
        ConnectionGuard guard = this.byName.compute(socketName, (name, old) -> (old != null
                && old.maxConnections() == maxConnections) ? old : new ConnectionGuard(name, maxConnections));
        ConnectionGuard.register(socket, guard);
    }

    /** The inbound connections of the socket of this name, and what its transports refused ({@code NONE}: none). */
    public ConnectionCounts counts(String socketName) {
        ConnectionGuard guard = this.byName.get(socketName);
        return (guard != null) ? guard.counts() : ConnectionCounts.NONE;
    }
}
