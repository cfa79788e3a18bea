package io.github.zmqboot.internal.transport;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.github.zmqboot.internal.monitor.SecurityLog;
import io.github.zmqboot.internal.monitor.SocketEventHook;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import zmq.SocketBase;
import zmq.ZMQ;

/**
 * The connections of one socket that this project's transports refuse or drop as hostile, and its limit on inbound
 * connections ({@code max-connections}, over all its bound endpoints together): counted, and logged at WARN under
 * {@link SecurityLog}'s rule (one line per socket and remote IP a minute, what was left out counted). One guard per socket name of a socket factory, so the counts survive a socket the
 * starter replaces (a proxy's restart, a REQ after a timeout).
 */
final class ConnectionGuard {

    private static final Log logger = LogFactory.getLog(ConnectionGuard.class);

    /**
     * Each socket's connection guard. Weak: an engine socket made outside the starter gets a guard of its own on
     * first use, dropped with the socket.
     */
    private static final Map<SocketBase, ConnectionGuard> GUARDS = Collections.synchronizedMap(new WeakHashMap<>());

    private final String socketName;

    private final int maxConnections;

    private final AtomicInteger open = new AtomicInteger();

    private final AtomicLong overLimit = new AtomicLong();

    private final AtomicLong handshakeTimeouts = new AtomicLong();

    private final AtomicLong oversizedHandshakeFrames = new AtomicLong();

    private final AtomicLong failedAccepts = new AtomicLong();

    /** Gives a socket its connection guard (see {@link ConnectionGuards}). */
    static void register(SocketBase socket, ConnectionGuard guard) {
        GUARDS.put(socket, guard);
    }

    /** The guard of a socket: the one registered, or a new one without limit. */
    static ConnectionGuard of(SocketBase socket) {
        synchronized (GUARDS) {
            return GUARDS.computeIfAbsent(socket, key -> new ConnectionGuard("socket-" + key.getSocketOpt(
                    ZMQ.ZMQ_TYPE) + "@" + Integer.toHexString(System.identityHashCode(key)), -1));
        }
    }

    /** A socket's inbound connections and the connections refused or dropped as hostile. */
    static ConnectionCounts countsOf(SocketBase socket) {
        ConnectionGuard guard = GUARDS.get(socket);
        return (guard != null) ? guard.counts() : ConnectionCounts.NONE;
    }

    /**
     * @param maxConnections the most inbound connections at once; -1 for no limit
     */
    ConnectionGuard(String socketName, int maxConnections) {
        this.socketName = socketName;
        this.maxConnections = maxConnections;
    }

    String socketName() {
        return this.socketName;
    }

    int maxConnections() {
        return this.maxConnections;
    }

    /**
     * Takes a place for a connection just accepted; false (the connection is counted as refused, and must be closed
     * at once) when {@code max-connections} are open already. A place taken is given back with {@link #closed()}.
     */
    boolean admit(SocketBase socket, String remoteIp, String endpoint) {
        if (this.maxConnections < 0) {
            this.open.incrementAndGet();
            return true;
        }
        while (true) {
            int now = this.open.get();
            if (now >= this.maxConnections) {
                this.overLimit.incrementAndGet();
                warn(socket, false, remoteIp, endpoint,
                        "max-connections (" + this.maxConnections + ") connections are open");
                return false;
            }
            if (this.open.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** Gives back the place of an accepted connection that ended. */
    void closed() {
        this.open.decrementAndGet();
    }

    /** A connection whose handshake did not complete within {@code handshake-interval} (closed). */
    void handshakeTimedOut(SocketBase socket, boolean connecting, String remoteIp, String endpoint,
            int handshakeMillis) {
        this.handshakeTimeouts.incrementAndGet();
        warn(socket, connecting, remoteIp, endpoint, "the handshake did not complete within handshake-interval ("
                + handshakeMillis + " ms)");
        SocketEventHook.connectionEndLogged(socket); // the engine's disconnect follows on this thread
    }

    /** A connection that announced a frame larger than a handshake needs before its handshake completed (closed). */
    void oversizedHandshakeFrame(SocketBase socket, boolean connecting, String remoteIp, String endpoint, long size,
            int limit) {
        this.oversizedHandshakeFrames.incrementAndGet();
        warn(socket, connecting, remoteIp, endpoint, "a frame of " + (size < 0 ? "a negative size" : size + " bytes")
                + " before the handshake completed (at most " + limit + " bytes are accepted until then)");
        SocketEventHook.connectionEndLogged(socket); // the engine's disconnect follows on this thread
    }

    /** An accept that failed (e.g. no file descriptor left); the listener waits before it accepts again. */
    void acceptFailed() {
        this.failedAccepts.incrementAndGet();
    }

    ConnectionCounts counts() {
        return new ConnectionCounts(this.open.get(), this.maxConnections, this.overLimit.get(),
                this.handshakeTimeouts.get(), this.oversizedHandshakeFrames.get(), this.failedAccepts.get());
    }

    private void warn(SocketBase socket, boolean connecting, String remoteIp, String endpoint, String why) {
        String remote = (remoteIp == null) ? "" : remoteIp;
        SecurityLog.warn(logger, socket, remote, () -> "Socket '" + this.socketName + "' closed a connection "
                + (connecting ? "to " : "from ") + (remote.isEmpty() ? "a local peer" : remote) + " on " + endpoint
                + ": " + why);
    }

    @Override
    public String toString() {
        return "ConnectionGuard[" + this.socketName + "]";
    }
}
