package io.github.zmqboot.internal.transport;

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
 * The stream transports, bound and connected into the engine's own sockets on this project's listener, connecter and
 * engines: {@code tcp://} (instead of JeroMQ's own, for the guards against hostile connections and the fix of its
 * connect hand-off race; see {@link TcpTransport}), real {@code ipc://} (Unix domain sockets, as libzmq) and
 * {@code ws://}/{@code wss://} (ZWS 2.0, as libzmq 4.3.4). A bind gets a listener owned by the socket; a connect gets
 * a session owned by the socket, with its pipe attached at once unless the socket has libzmq's
 * {@code ZMQ_IMMEDIATE} (so a PEER's {@code connect} returns the routing id atomically) and a connecter that
 * reconnects under the same session. Everything else the socket does (queues, HWM, routing, CURVE, events, the frame
 * guards) is the engine's own.
 * <p>
 * Each socket has a {@link ConnectionGuard} (given by its factory's {@link ConnectionGuards}): its
 * {@code max-connections} and the counts of the connections refused or dropped as hostile.
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

    /** Each socket's tcp connects (for the host names that have not resolved yet). */
    private static final Map<SocketBase, List<TcpTransport.Connect>> TCP_CONNECTS =
            Collections.synchronizedMap(new IdentityHashMap<>());

    private Transports() {
    }

    /** Whether {@code endpoint}'s transport runs on this project's code (tcp, ipc, ws, wss), not the engine's. */
    public static boolean handles(String endpoint) {
        return endpoint != null && (TcpTransport.handles(endpoint) || endpoint.startsWith("ipc://")
                || WsTransport.handles(endpoint));
    }

    /** A socket's inbound connections and the connections its transports refused or dropped as hostile. */
    public static ConnectionCounts connectionCounts(SocketBase socket) {
        return ConnectionGuard.countsOf(socket);
    }

    /** The tcp endpoints this socket connected whose host name has not resolved yet (nothing is connected there). */
    public static List<String> unresolvedConnects(SocketBase socket) {
        List<TcpTransport.Connect> connects = TCP_CONNECTS.get(socket);
        if (connects == null) {
            return List.of();
        }
        synchronized (connects) {
            return connects.stream().filter(connect -> !connect.isResolved()).map(TcpTransport.Connect::endpoint)
                .distinct().sorted().toList();
        }
    }

    /**
     * Gives a socket its TLS material for wss binds and connects; {@code material} is asked again for each new
     * connection (a reloaded SSL bundle applies to the connections made after the reload).
     */
    public static void useTls(SocketBase socket, Supplier<TlsMaterial> material) {
        TLS.put(socket, material);
    }

    /**
     * Binds {@code endpoint} and returns it resolved ({@code ipc://*} becomes the path bound, a tcp port {@code *}
     * the port bound).
     *
     * @throws ZmqException with libzmq's error
     */
    public static String bind(SocketBase socket, String endpoint) {
        requireContext(socket);
        Options socketOptions = EngineAccess.options(socket);
        BoundServer bound;
        try {
            bound = TcpTransport.handles(endpoint) ? TcpTransport.bind(endpoint, socketOptions)
                    : WsTransport.handles(endpoint) ? WsTransport.bind(endpoint, TLS.get(socket))
                    : IpcTransport.bind(endpoint);
        }
        catch (ZmqException ex) {
            socket.eventBindFailed(endpoint, ex.error().errno());
            throw ex;
        }
        return EngineAccess.underSocketLock(socket, () -> {
            Options options = EngineAccess.options(socket);
            IOThread ioThread = ioThread(socket, options, bound);
            StreamListener listener = new StreamListener(ioThread, socket, options, bound.endpoint(),
                    bound.server(), bound.engines(), bound.cleanup());
            EngineAccess.launchChild(socket, listener);
            remember(socket, bound.endpoint(), listener);
            EngineAccess.lastEndpoint(socket, bound.endpoint());
            return bound.endpoint();
        });
    }

    private static IOThread ioThread(SocketBase socket, Options options, BoundServer bound) {
        IOThread ioThread = EngineAccess.chooseIoThread(socket, options.affinity);
        if (ioThread == null) {
            try {
                bound.server().close();
            }
            catch (java.io.IOException ex) {
                // closing a server channel nobody listens on
            }
            bound.cleanup().run();
            throw new ZmqException(ZmqError.EMTHREAD, "no I/O thread for '" + bound.endpoint() + "'");
        }
        return ioThread;
    }

    /**
     * Connects {@code endpoint}; for a PEER returns the new connection's routing id, otherwise 0. The connection is
     * made in the background and retried with the reconnect interval (a tcp host name is looked up on each attempt).
     * A DEALER, SUB or REQ connects an endpoint once: a second connect to it does nothing (as the engine).
     *
     * @throws ZmqException with libzmq's error
     */
    public static int connect(SocketBase socket, String endpoint) {
        requireContext(socket);
        Options socketOptions = EngineAccess.options(socket);
        TcpTransport.Connect tcp = TcpTransport.handles(endpoint)
                ? TcpTransport.connect(ConnectionGuard.of(socket).socketName(), endpoint, socketOptions) : null;
        StreamConnecter.Target target = (tcp != null) ? tcp.target()
                : WsTransport.handles(endpoint) ? WsTransport.target(endpoint, TLS.get(socket))
                : IpcTransport.target(endpoint);
        return EngineAccess.underSocketLock(socket, () -> {
            Options options = EngineAccess.options(socket);
            boolean singleConnect = options.type == ZMQ.ZMQ_DEALER || options.type == ZMQ.ZMQ_SUB
                    || options.type == ZMQ.ZMQ_REQ;
            if (singleConnect && isConnected(socket, endpoint)) {
                return 0; // no valid use for several connects of one endpoint there (the engine's rule)
            }
            IOThread ioThread = EngineAccess.chooseIoThread(socket, options.affinity);
            if (ioThread == null) {
                throw new ZmqException(ZmqError.EMTHREAD, "no I/O thread for '" + endpoint + "'");
            }
            SessionBase session = Sockets.createSession(ioThread, true, socket, options,
                    StreamConnecter.sessionAddress());
            if (options.immediate) {
                // JeroMQ's flag is libzmq's ZMQ_IMMEDIATE inverted: true means "attach the pipe now", as the
                // engine's own connect does; otherwise the session makes the pipe when a connection completes
                boolean conflate = options.conflate && (options.type == ZMQ.ZMQ_DEALER
                        || options.type == ZMQ.ZMQ_PULL || options.type == ZMQ.ZMQ_PUSH
                        || options.type == ZMQ.ZMQ_PUB || options.type == ZMQ.ZMQ_SUB);
                Pipe[] pipes = Pipe.pair(new ZObject[] { socket, session },
                        new int[] { conflate ? -1 : options.sendHwm, conflate ? -1 : options.recvHwm },
                        new boolean[] { conflate, conflate });
                EngineAccess.attachPipe(socket, pipes[0], false, true);
                session.attachPipe(pipes[1]);
            }
            EngineAccess.launchChild(socket, session);
            StreamConnecter.launchFirst(ioThread, session, options, target);
            remember(socket, endpoint, session);
            if (tcp != null) {
                TCP_CONNECTS.computeIfAbsent(socket, key -> Collections.synchronizedList(new ArrayList<>())).add(tcp);
            }
            EngineAccess.lastEndpoint(socket, endpoint);
            return (options.type == ZMQ.ZMQ_PEER && options.immediate) ? options.peerLastRoutingId : 0;
        });
    }

    private static boolean isConnected(SocketBase socket, String endpoint) {
        synchronized (ENDPOINTS) {
            Map<String, List<Own>> byEndpoint = ENDPOINTS.get(socket);
            return byEndpoint != null && byEndpoint.containsKey(endpoint);
        }
    }

    /** The engine's own bind and connect fail with {@code ETERM} once the socket's context is terminated. */
    private static void requireContext(SocketBase socket) {
        if (EngineAccess.contextTerminated(socket)) {
            throw new ZmqException(ZmqError.ETERM, "the ZeroMQ context is terminated");
        }
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
            List<TcpTransport.Connect> connects = TCP_CONNECTS.get(socket);
            if (connects != null) {
                connects.removeIf(connect -> connect.endpoint().equals(endpoint));
            }
            return true;
        });
    }

    /** Forgets a tcp connect's host name after a disconnect (it no longer counts as unresolved). */
    public static void forgetConnect(SocketBase socket, String endpoint) {
        List<TcpTransport.Connect> connects = TCP_CONNECTS.get(socket);
        if (connects != null) {
            connects.removeIf(connect -> connect.endpoint().equals(endpoint));
        }
    }

    /** Forgets a closed socket's endpoints (the socket itself ended their listeners and sessions). */
    public static void forget(SocketBase socket) {
        ENDPOINTS.remove(socket);
        TLS.remove(socket);
        TCP_CONNECTS.remove(socket);
    }

    private static void remember(SocketBase socket, String endpoint, Own child) {
        synchronized (ENDPOINTS) {
            ENDPOINTS.computeIfAbsent(socket, key -> new HashMap<>())
                    .computeIfAbsent(endpoint, key -> new ArrayList<>()).add(child);
        }
    }
}
