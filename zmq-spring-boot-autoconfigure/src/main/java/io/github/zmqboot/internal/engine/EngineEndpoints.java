package io.github.zmqboot.internal.engine;

import io.github.zmqboot.core.ZmqError;
import io.github.zmqboot.core.ZmqException;
import io.github.zmqboot.internal.transport.Transports;
import zmq.SocketBase;

/**
 * Binds, connects and unbinds of a {@link ManagedSocket} (on its {@link SocketState}): tcp, ipc, ws and wss through
 * this project's {@link Transports} (a tcp host name is looked up on each connection attempt, as libzmq does), other
 * transports through the engine; the engine's refusals become {@link ZmqException}s with libzmq's errors, naming the
 * socket.
 */
final class EngineEndpoints {

    private EngineEndpoints() {
    }

    /** See {@link ManagedSocket#bind(String)}. */
    static String bind(SocketState socket, String endpoint) {
        SocketBase base = socket.base();
        if (Transports.handles(endpoint)) {
            try {
                return Transports.bind(base, endpoint);
            }
            catch (ZmqException ex) {
                throw new ZmqException(ex.error(), socket.name() + ": bind to '" + endpoint + "' failed: "
                        + ex.getMessage(), ex);
            }
        }
        boolean bound;
        try {
            bound = base.bind(endpoint);
        }
        catch (IllegalArgumentException ex) {
            throw new ZmqException(ZmqError.EINVAL, socket.name() + ": invalid endpoint '" + endpoint + "'", ex);
        }
        catch (org.zeromq.ZMQException ex) {
            throw new ZmqException(ZmqError.fromErrno(ex.getErrorCode()),
                    socket.name() + ": bind to '" + endpoint + "' failed", ex);
        }
        if (!bound) {
            throw socket.lastError("bind to '" + endpoint + "'");
        }
        return (String) base.getSocketOptx(zmq.ZMQ.ZMQ_LAST_ENDPOINT);
    }

    /** See {@link ManagedSocket#unbind(String)}. */
    static boolean unbind(SocketBase base, String endpoint) {
        try {
            return Transports.handles(endpoint) ? Transports.unbind(base, endpoint) : base.termEndpoint(endpoint);
        }
        catch (RuntimeException ex) {
            return false;
        }
    }

    /** See {@link ManagedSocket#connect(String)}. */
    static boolean connect(SocketState socket, String endpoint) {
        if (Transports.handles(endpoint)) {
            connectTransport(socket, endpoint);
            return true;
        }
        return socket.underEngineLock(() -> socket.base().connect(endpoint));
    }

    /** See {@link ManagedSocket#connectPeer(String)}. */
    static int connectPeer(SocketState socket, String endpoint) {
        if (Transports.handles(endpoint)) {
            return connectTransport(socket, endpoint);
        }
        return socket.underEngineLock(() -> socket.base().connectPeer(endpoint));
    }

    /** Connects an endpoint of a transport this project adds to the engine; returns a PEER's routing id (else 0). */
    private static int connectTransport(SocketState socket, String endpoint) {
        try {
            return Transports.connect(socket.base(), endpoint);
        }
        catch (ZmqException ex) {
            throw new ZmqException(ex.error(),
                    socket.name() + ": connect to '" + endpoint + "' failed: " + ex.getMessage(), ex);
        }
    }
}
