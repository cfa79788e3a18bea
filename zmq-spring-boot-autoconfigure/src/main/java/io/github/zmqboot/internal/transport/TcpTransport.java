package io.github.zmqboot.internal.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.zmqboot.core.ZmqError;
import io.github.zmqboot.core.ZmqException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.zeromq.ZMQException;
import zmq.Options;
import zmq.io.net.Address;
import zmq.io.net.NetProtocol;
import zmq.io.net.tcp.TcpAddress;
import zmq.io.net.tcp.TcpUtils;

/**
 * {@code tcp://} on this project's listener, connecter and engine ({@link StreamListener}, {@link StreamConnecter},
 * {@link ZmtpEngine}) instead of JeroMQ's, with the engine's own address rules and socket options, so that the
 * guards against hostile connections (the whole handshake under {@code handshake-interval}, no large frame before
 * it completes, no spinning on a failed accept, {@code max-connections}) and the fix of JeroMQ's connect hand-off
 * race apply to tcp as to ipc.
 * <p>
 * As JeroMQ's tcp: a bind resolves its address as the engine does ({@code *} is every interface, IPv6 with
 * {@code ipv6}; a port {@code *} or 0 is chosen by the system) and returns the endpoint as the engine writes it
 * (e.g. {@code tcp://0.0.0.0:5555}); the server channel reuses its address (except on Windows), a bind failure is
 * {@code EADDRINUSE} (as the engine reports it), an address that does not resolve {@code EADDRNOTAVAIL}. A connect
 * looks its host name up on each attempt (libzmq's rule; a name that does not resolve yet is retried every
 * reconnect interval and shown by {@link Transports#unresolvedConnects}). Every connection gets {@code TCP_NODELAY}
 * and the socket's keep-alive, buffer and {@code ZMQ_TOS} options, as the engine sets them (the type of service as
 * {@code IP_TOS}: JeroMQ 0.6.0 sets the send buffer size to it instead).
 */
final class TcpTransport {

    private static final Log logger = LogFactory.getLog(TcpTransport.class);

    private static final String PREFIX = "tcp://";

    private static final boolean WINDOWS = System.getProperty("os.name", "").toLowerCase(Locale.ENGLISH)
        .contains("win");

    private TcpTransport() {
    }

    static boolean handles(String endpoint) {
        return endpoint.startsWith(PREFIX);
    }

    /** The engine of a tcp connection (accepted or connected): tuned as JeroMQ tunes its own. */
    static final EngineFactory ENGINES = (channel, options, endpoint, connection) -> {
        tune(channel, options);
        return new ZmtpEngine(channel, options, endpoint, connection, address(channel, true), address(channel, false));
    };

    /**
     * Binds {@code endpoint} as the engine's tcp listener does.
     *
     * @throws ZmqException {@code EINVAL} (malformed), {@code EADDRNOTAVAIL} (the host does not resolve),
     * {@code EADDRINUSE} (the bind failed)
     */
    static BoundServer bind(String endpoint, Options options) {
        TcpAddress address = resolve(endpoint, options);
        ServerSocketChannel server = null;
        try {
            server = ServerSocketChannel.open();
            server.configureBlocking(false);
            if (options.sndbuf != 0) {
                server.setOption(StandardSocketOptions.SO_SNDBUF, options.sndbuf);
            }
            if (options.rcvbuf != 0) {
                server.setOption(StandardSocketOptions.SO_RCVBUF, options.rcvbuf);
            }
            if (!WINDOWS) {
                server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            }
            server.bind(address.address(), options.backlog);
        }
        catch (IOException | RuntimeException ex) {
            closeQuietly(server);
            throw new ZmqException(ZmqError.EADDRINUSE, "'" + endpoint + "': " + ex.getMessage(), ex);
        }
        String resolved = address.toString(server.socket().getLocalPort());
        return new BoundServer(resolved, server, ENGINES, () -> {
        });
    }

    /**
     * Where a connect to {@code endpoint} goes. The host is looked up now (so that a malformed endpoint fails at once)
     * and again on each connection attempt; a name that does not resolve yet is no error (libzmq defers the look-up
     * to the connection): it is logged once and retried every reconnect interval.
     *
     * @throws ZmqException {@code EINVAL} for a malformed endpoint, {@code EADDRNOTAVAIL} for a host that resolves to
     * no address of the wanted family
     */
    static Connect connect(String socketName, String endpoint, Options options) {
        Connect connect = new Connect(socketName, endpoint, options);
        if (!connect.isResolved()) {
            logger.warn("Socket '" + socketName + "': the host of '" + endpoint + "' does not resolve yet; it is looked"
                    + " up again on each connection attempt (every reconnect-interval, " + options.reconnectIvl
                    + " ms) and connected when it resolves");
        }
        return connect;
    }

    /** A tcp connect: its target, and whether its host name has resolved yet. */
    static final class Connect {

        private final String socketName;

        private final String endpoint;

        private final String hostAndPort;

        private final boolean ipv6;

        /** Whether the host did not resolve at connect time (its first resolution is then logged). */
        private final boolean lateAtConnect;

        private final AtomicBoolean resolved = new AtomicBoolean();

        private final StreamConnecter.Target target;

        private Connect(String socketName, String endpoint, Options options) {
            this.socketName = socketName;
            this.endpoint = endpoint;
            this.hostAndPort = endpoint.substring(PREFIX.length());
            this.ipv6 = options.ipv6;
            this.lateAtConnect = !resolvesNow();
            this.resolved.set(!this.lateAtConnect);
            this.target = new StreamConnecter.Target(endpoint, this::resolveForAttempt,
                    channel -> prepare(channel, options), ENGINES);
        }

        StreamConnecter.Target target() {
            return this.target;
        }

        String endpoint() {
            return this.endpoint;
        }

        /** Whether the host name resolved at least once (before, nothing could be connected). */
        boolean isResolved() {
            return this.resolved.get();
        }

        /** Resolves at connect time: false for a host name that does not resolve yet, else the engine's errors. */
        private boolean resolvesNow() {
            try {
                new TcpAddress(this.hostAndPort, this.ipv6);
                return true;
            }
            catch (IllegalArgumentException ex) {
                throw new ZmqException(ZmqError.EINVAL, "invalid endpoint '" + this.endpoint + "'", ex);
            }
            catch (ZMQException ex) {
                if (ex.getCause() instanceof UnknownHostException) {
                    return false;
                }
                throw new ZmqException(ZmqError.EADDRNOTAVAIL, "'" + this.endpoint + "': " + ex.getMessage(), ex);
            }
        }

        /** On each attempt, on an I/O thread: the address, or an exception (the attempt is retried later). */
        private SocketAddress resolveForAttempt() throws IOException {
            SocketAddress address;
            try {
                address = new TcpAddress(this.hostAndPort, this.ipv6).address();
            }
            catch (RuntimeException ex) {
                throw new IOException("'" + this.endpoint + "' does not resolve: " + ex.getMessage(), ex);
            }
            if (this.resolved.compareAndSet(false, true) && this.lateAtConnect) {
                logger.info("Socket '" + this.socketName + "': '" + this.endpoint + "' resolves now (" + address
                        + "); connecting");
            }
            return address;
        }
    }

    private static TcpAddress resolve(String endpoint, Options options) {
        try {
            return new TcpAddress(endpoint.substring(PREFIX.length()), options.ipv6);
        }
        catch (ZMQException ex) {
            throw new ZmqException(ZmqError.EADDRNOTAVAIL, "'" + endpoint + "': " + ex.getMessage(), ex);
        }
        catch (IllegalArgumentException ex) {
            throw new ZmqException(ZmqError.EINVAL, "invalid endpoint '" + endpoint + "'", ex);
        }
    }

    /** Before connecting: the buffer sizes and type of service the socket asks for. */
    private static void prepare(SocketChannel channel, Options options) throws IOException {
        if (options.sndbuf != 0) {
            channel.setOption(StandardSocketOptions.SO_SNDBUF, options.sndbuf);
        }
        if (options.rcvbuf != 0) {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, options.rcvbuf);
        }
        if (options.tos != 0) {
            setQuietly(channel, StandardSocketOptions.IP_TOS, options.tos);
        }
    }

    /**
     * A connection's options, as JeroMQ sets them on its tcp connections: no Nagle (the engine batches itself), the
     * socket's keep-alive settings, and on an accepted connection its buffer sizes and type of service.
     */
    private static void tune(SocketChannel channel, Options options) {
        try {
            prepare(channel, options);
            TcpUtils.tuneTcpSocket(channel);
            TcpUtils.tuneTcpKeepalives(channel, options.tcpKeepAlive, options.tcpKeepAliveCnt,
                    options.tcpKeepAliveIdle, options.tcpKeepAliveIntvl);
        }
        catch (IOException | RuntimeException ex) {
            // the connection is gone already: the engine's first read or write reports it
        }
    }

    private static <T> void setQuietly(NetworkChannel channel, SocketOption<T> option, T value) {
        try {
            channel.setOption(option, value);
        }
        catch (IOException | UnsupportedOperationException ex) {
            // not available on this platform: as libzmq, the connection goes on without it
        }
    }

    /** The remote (or local) IP address and port of a connection, as the engine's ZAP requests and metadata show it. */
    private static Address address(SocketChannel channel, boolean remote) {
        try {
            SocketAddress address = remote ? channel.getRemoteAddress() : channel.getLocalAddress();
            if (address instanceof InetSocketAddress) {
                return new Address(address);
            }
        }
        catch (IOException | RuntimeException ex) {
            // closed already: the engine's first read reports it
        }
        return new Address(NetProtocol.tcp, "");
    }

    private static void closeQuietly(ServerSocketChannel server) {
        if (server != null) {
            try {
                server.close();
            }
            catch (IOException ignored) {
                // failed to bind
            }
        }
    }
}
