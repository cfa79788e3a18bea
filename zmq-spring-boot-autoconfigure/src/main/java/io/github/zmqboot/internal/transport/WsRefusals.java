package io.github.zmqboot.internal.transport;

import java.util.concurrent.atomic.AtomicLong;

import io.github.zmqboot.internal.monitor.SecurityLog;
import io.github.zmqboot.internal.monitor.SocketEventHook;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import zmq.SocketBase;

/**
 * Connections refused for bad input on this project's transports (plain HTTP, a wrong subprotocol, text or fragmented
 * frames, oversized frames, garbage, a TLS handshake that fails): counted, and logged at WARN under the
 * {@link SecurityLog} rule (at most one line per socket and remote address a minute, with the number left out).
 */
final class WsRefusals {

    private static final Log logger = LogFactory.getLog(WsRefusals.class);

    private static final AtomicLong TOTAL = new AtomicLong();

    private WsRefusals() {
    }

    /** How many connections were refused for bad input since the JVM started. */
    static long total() {
        return TOTAL.get();
    }

    /**
     * Counts and logs a refused connection; the disconnect that follows on this thread is not logged again.
     *
     * @param socket the socket the connection belongs to
     * @param remote the remote IP address ("" when unknown)
     */
    static void refused(SocketBase socket, String remote, String endpoint, String what) {
        TOTAL.incrementAndGet();
        String name = SecurityLog.socketName(socket);
        SecurityLog.warn(logger, socket, remote, () -> "Closed a connection from "
                + (remote.isEmpty() ? "an unknown address" : remote) + " on " + endpoint
                + (name != null ? " (socket '" + name + "')" : "") + ": " + what);
        SocketEventHook.connectionEndLogged(socket);
    }

    static String describe(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
