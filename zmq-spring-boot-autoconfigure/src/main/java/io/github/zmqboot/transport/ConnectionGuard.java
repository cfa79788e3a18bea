package io.github.zmqboot.transport;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The connections of one socket that this project's transports refuse or drop as hostile, and its limit on inbound
 * connections ({@code max-connections}, over all its bound endpoints together): counted, and logged at WARN at most
 * once per remote IP address (without the port: a client that reconnects changes it) and minute, with the number of
 * lines suppressed meanwhile. One guard per socket name of a socket factory, so the counts survive a socket the
 * starter replaces (a proxy's restart, a REQ after a timeout).
 */
final class ConnectionGuard {

    private static final Log logger = LogFactory.getLog(ConnectionGuard.class);

    private static final long WINDOW_NANOS = TimeUnit.MINUTES.toNanos(1);

    /** Remote addresses remembered for the log windows; beyond it, expired windows are forgotten first. */
    private static final int MAX_WINDOWS = 10_000;

    private final String socketName;

    private final int maxConnections;

    private final AtomicInteger open = new AtomicInteger();

    private final AtomicLong overLimit = new AtomicLong();

    private final AtomicLong handshakeTimeouts = new AtomicLong();

    private final AtomicLong oversizedHandshakeFrames = new AtomicLong();

    private final AtomicLong failedAccepts = new AtomicLong();

    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

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
    boolean admit(String remoteIp, String endpoint) {
        if (this.maxConnections < 0) {
            this.open.incrementAndGet();
            return true;
        }
        while (true) {
            int now = this.open.get();
            if (now >= this.maxConnections) {
                this.overLimit.incrementAndGet();
                warn(false, remoteIp, endpoint, "max-connections (" + this.maxConnections + ") connections are open");
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
    void handshakeTimedOut(boolean connecting, String remoteIp, String endpoint, int handshakeMillis) {
        this.handshakeTimeouts.incrementAndGet();
        warn(connecting, remoteIp, endpoint, "the handshake did not complete within handshake-interval ("
                + handshakeMillis + " ms)");
    }

    /** A connection that announced a frame larger than a handshake needs before its handshake completed (closed). */
    void oversizedHandshakeFrame(boolean connecting, String remoteIp, String endpoint, long size, int limit) {
        this.oversizedHandshakeFrames.incrementAndGet();
        warn(connecting, remoteIp, endpoint, "a frame of " + (size < 0 ? "a negative size" : size + " bytes")
                + " before the handshake completed (at most " + limit + " bytes are accepted until then)");
    }

    /** An accept that failed (e.g. no file descriptor left); the listener waits before it accepts again. */
    void acceptFailed() {
        this.failedAccepts.incrementAndGet();
    }

    ConnectionCounts counts() {
        return new ConnectionCounts(this.open.get(), this.maxConnections, this.overLimit.get(),
                this.handshakeTimeouts.get(), this.oversizedHandshakeFrames.get(), this.failedAccepts.get());
    }

    private void warn(boolean connecting, String remoteIp, String endpoint, String why) {
        String remote = (remoteIp == null || remoteIp.isEmpty()) ? "" : remoteIp;
        long now = System.nanoTime();
        Window window = this.windows.compute(remote, (key, old) -> (old == null || now - old.start > WINDOW_NANOS)
                ? new Window(now, old == null ? 0 : old.suppressed.get()) : old);
        if (window.start == now) {
            long earlier = window.carried;
            logger.warn("Socket '" + this.socketName + "' closed a connection " + (connecting ? "to " : "from ")
                    + (remote.isEmpty() ? "a local peer" : remote) + " on " + endpoint + ": " + why
                    + (earlier > 0 ? " (" + earlier + " more from there not logged in the last minute)" : ""));
        }
        else {
            window.suppressed.incrementAndGet();
        }
        if (this.windows.size() > MAX_WINDOWS) {
            this.windows.entrySet().removeIf(entry -> now - entry.getValue().start > WINDOW_NANOS);
        }
    }

    @Override
    public String toString() {
        return "ConnectionGuard[" + this.socketName + "]";
    }

    private static final class Window {

        final long start;

        final long carried;

        final AtomicLong suppressed = new AtomicLong();

        Window(long start, long carried) {
            this.start = start;
            this.carried = carried;
        }
    }
}
