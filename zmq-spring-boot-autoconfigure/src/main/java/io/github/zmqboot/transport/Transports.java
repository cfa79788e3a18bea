package io.github.zmqboot.transport;

import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.github.zmqboot.core.ZmqError;
import io.github.zmqboot.core.ZmqException;
import zmq.Options;
import zmq.Own;
import zmq.SocketBase;
import zmq.ZMQ;
import zmq.ZObject;
import zmq.io.IOThread;
import zmq.io.SessionBase;
import zmq.pipe.Pipe;
import zmq.socket.Sockets;

/**
 * The transports this project adds to the engine, bound and connected into the engine's own sockets: real
 * {@code ipc://} (Unix domain sockets, as libzmq) and {@code ws://}/{@code wss://} (ZWS 2.0, as libzmq 4.3.4). A bind gets a listener owned by the socket; a connect gets a
 * session owned by the socket, with its pipe attached at once (so a PEER's {@code connect} returns the routing id
 * atomically, as over tcp) and a connecter that reconnects under the same session. Everything else the socket does
 * (queues, HWM, routing, CURVE, events, the frame guards) is the engine's own.
 * <p>
 * Callers hold the socket's gate or lock (between {@code enter} and {@code exit}); thread-safe sockets are also
 * locked here as the engine locks its own bind and connect.
 */
public final class Transports {

    /** The listeners and sessions of each socket's endpoints, for unbind; a socket's entry goes when it closes. */
    private static final Map<SocketBase, Map<String, List<Own>>> ENDPOINTS =
            Collections.synchronizedMap(new IdentityHashMap<>());

    /** Each socket's TLS material for wss (from its {@code ssl-bundle}). */
    private static final Map<SocketBase, Supplier<TlsMaterial>> TLS = Collections.synchronizedMap(new IdentityHashMap<>());

    /** A bound server channel: the endpoint it resolved to, the engines of its connections, what to do at close. */
    record Bound(String endpoint, ServerSocketChannel server, EngineFactory engines, Runnable cleanup) {
    }

    private Transports() {
    }

    /** Whether {@code endpoint}'s transport is one of this project's rather than the engine's. */
    public static boolean handles(String endpoint) {
        return endpoint != null && (endpoint.startsWith("ipc://") || WsTransport.handles(endpoint));
    }

    /**
     * Gives a socket its TLS material for wss binds and connects; {@code material} is asked again for each new
     * connection (a reloaded SSL bundle applies to the connections made after the reload).
     */
    public static void useTls(SocketBase socket, Supplier<TlsMaterial> material) {
        TLS.put(socket, material);
    }

    /**
     * Binds {@code endpoint} and returns it resolved ({@code ipc://*} becomes the path bound).
     *
     * @throws ZmqException with libzmq's error
     */
    public static String bind(SocketBase socket, String endpoint) {
        Bound bound = WsTransport.handles(endpoint) ? WsTransport.bind(endpoint, TLS.get(socket))
                : IpcTransport.bind(endpoint);
        return EngineAccess.underSocketLock(socket, () -> {
            Options options = EngineAccess.options(socket);
            IOThread ioThread = ioThread(socket, options, bound);
            StreamListener listener = new StreamListener(ioThread, socket, options, bound.endpoint(),
                    bound.server(), bound.engines(), bound.cleanup());
            EngineAccess.launchChild(socket, listener);
            remember(socket, bound.endpoint(), listener);
            return bound.endpoint();
        });
    }

    private static IOThread ioThread(SocketBase socket, Options options, Bound bound) {
        IOThread ioThread = EngineAccess.chooseIoThread(socket, options.affinity);
        if (ioThread == null) {
            bound.cleanup().run();
            throw new ZmqException(ZmqError.EMTHREAD, "no I/O thread for '" + bound.endpoint() + "'");
        }
        return ioThread;
    }

    /**
     * Connects {@code endpoint}; for a PEER returns the new connection's routing id, otherwise 0. The connection is
     * made in the background and retried with the reconnect interval, as over tcp.
     *
     * @throws ZmqException with libzmq's error
     */
    public static int connect(SocketBase socket, String endpoint) {
        StreamConnecter.Target target = WsTransport.handles(endpoint) ? WsTransport.target(endpoint, TLS.get(socket))
                : IpcTransport.target(endpoint);
        return EngineAccess.underSocketLock(socket, () -> {
            Options options = EngineAccess.options(socket);
            if (!options.immediate) {
                // JeroMQ's flag is libzmq's ZMQ_IMMEDIATE inverted: false means "no pipe until connected"
                throw new ZmqException(ZmqError.ENOTSUP, "'" + endpoint + "': immediate=true is not supported on"
                        + " ipc, ws and wss connections yet");
            }
            IOThread ioThread = EngineAccess.chooseIoThread(socket, options.affinity);
            if (ioThread == null) {
                throw new ZmqException(ZmqError.EMTHREAD, "no I/O thread for '" + endpoint + "'");
            }
            SessionBase session = Sockets.createSession(ioThread, true, socket, options,
                    StreamConnecter.sessionAddress());
            boolean conflate = options.conflate && (options.type == ZMQ.ZMQ_DEALER || options.type == ZMQ.ZMQ_PULL
                    || options.type == ZMQ.ZMQ_PUSH || options.type == ZMQ.ZMQ_PUB || options.type == ZMQ.ZMQ_SUB);
            Pipe[] pipes = Pipe.pair(new ZObject[] { socket, session },
                    new int[] { conflate ? -1 : options.sendHwm, conflate ? -1 : options.recvHwm },
                    new boolean[] { conflate, conflate });
            EngineAccess.attachPipe(socket, pipes[0], false, true);
            session.attachPipe(pipes[1]);
            EngineAccess.launchChild(socket, session);
            StreamConnecter.launchFirst(EngineAccess.chooseIoThread(socket, options.affinity), session, options,
                    target);
            remember(socket, endpoint, session);
            return options.type == ZMQ.ZMQ_PEER ? options.peerLastRoutingId : 0;
        });
    }

    /**
     * Ends every bind and connect of {@code endpoint} on this socket (their connections close).
     *
     * @return false when the socket has no such endpoint ({@code ENOENT})
     */
    public static boolean unbind(SocketBase socket, String endpoint) {
        return EngineAccess.underSocketLock(socket, () -> {
            List<Own> owned;
            synchronized (ENDPOINTS) {
                Map<String, List<Own>> byEndpoint = ENDPOINTS.get(socket);
                owned = (byEndpoint != null) ? byEndpoint.remove(endpoint) : null;
            }
            if (owned == null) {
                return false;
            }
            owned.forEach(child -> EngineAccess.termChild(socket, child));
            return true;
        });
    }

    /** Forgets a closed socket's endpoints (the socket itself ended their listeners and sessions). */
    public static void forget(SocketBase socket) {
        ENDPOINTS.remove(socket);
        TLS.remove(socket);
    }

    private static void remember(SocketBase socket, String endpoint, Own child) {
        synchronized (ENDPOINTS) {
            ENDPOINTS.computeIfAbsent(socket, key -> new HashMap<>())
                    .computeIfAbsent(endpoint, key -> new ArrayList<>()).add(child);
        }
    }
}
