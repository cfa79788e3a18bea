package io.github.zmqboot.internal.proxy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import io.github.zmqboot.internal.context.ZmqContextManager;
import io.github.zmqboot.core.ZmqError;
import io.github.zmqboot.core.ZmqException;
import io.github.zmqboot.internal.engine.Endpoints;
import io.github.zmqboot.internal.engine.InvalidSocketOptionException;
import io.github.zmqboot.internal.engine.ManagedSocket;
import io.github.zmqboot.internal.engine.ZmqSocketFactory;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.zeromq.SocketType;
import zmq.ZMQ;

/**
 * The frontend, backend, capture and control sockets of one run of a proxy: created through the socket factory,
 * bound and connected in the configured order, and closed together. Owned by the proxy's thread, which is the only
 * one that opens, uses and closes them.
 */
final class ProxySockets {

    private static final Log logger = LogFactory.getLog(ProxySockets.class);

    private static final Duration PORT_RELEASE_TIMEOUT = Duration.ofSeconds(2);

    private final String proxyName;

    private final ZmqContextManager contextManager;

    private final Map<ProxyRole, ManagedSocket> sockets = new EnumMap<>(ProxyRole.class);

    private final Map<ProxyRole, List<String>> boundEndpoints = new EnumMap<>(ProxyRole.class);

    private final PortRelease portRelease = new PortRelease();

    private boolean closed;

    private ProxySockets(String proxyName, ZmqContextManager contextManager) {
        this.proxyName = proxyName;
        this.contextManager = contextManager;
    }

    /**
     * Creates, binds and connects every side of {@code definition}; on failure closes what it opened.
     *
     * @throws ProxySetupException naming the side and setting that failed
     */
    static ProxySockets open(ProxyDefinition definition, ZmqSocketFactory socketFactory) {
        ProxySockets sockets = new ProxySockets(definition.name(), socketFactory.contextManager());
        try {
            for (ProxySide side : definition.sides()) {
                sockets.open(side, socketFactory);
            }
            return sockets;
        }
        catch (RuntimeException ex) {
            sockets.close();
            throw ex;
        }
    }

    /** The socket of this role, or null when the proxy has none. */
    ManagedSocket get(ProxyRole role) {
        return this.sockets.get(role);
    }

    /** Every open socket. */
    List<ManagedSocket> all() {
        return List.copyOf(this.sockets.values());
    }

    /** The resolved endpoints each socket is bound to. */
    ProxyEndpoints endpoints() {
        return new ProxyEndpoints(bound(ProxyRole.FRONTEND), bound(ProxyRole.BACKEND), bound(ProxyRole.CAPTURE),
                bound(ProxyRole.CONTROL));
    }

    /** Whether someone else closed a socket under the proxy (the ZeroMQ context is terminating). */
    boolean closedUnderneath() {
        return this.contextManager.isTerminated()
                || this.sockets.values().stream().anyMatch(ManagedSocket::isClosed);
    }

    /** Closes every socket and waits (bounded) until the engine has released their ports. Idempotent. */
    void close() {
        if (this.closed) {
            return;
        }
        this.closed = true;
        for (ManagedSocket socket : this.sockets.values()) {
            try {
                socket.close(ZmqError.ENOTSOCK);
            }
            catch (RuntimeException ex) {
                logger.warn("Proxy '" + this.proxyName + "': failed to close socket '" + socket.name() + "'", ex);
            }
        }
        if (!this.portRelease.await(PORT_RELEASE_TIMEOUT)) {
            logger.warn("Proxy '" + this.proxyName + "': the engine did not release every listening port within "
                    + PORT_RELEASE_TIMEOUT.toSeconds() + " s");
        }
    }

    private List<String> bound(ProxyRole role) {
        return this.boundEndpoints.getOrDefault(role, List.of());
    }

    private void open(ProxySide side, ZmqSocketFactory socketFactory) {
        ManagedSocket socket;
        try {
            socket = socketFactory.createSocket(this.proxyName + "." + side.role().propertyName(), side.type(),
                    side.options());
        }
        catch (InvalidSocketOptionException ex) {
            throw new ProxySetupException(side.role(), ex.option(), ex.value(), ex.reason(), null, ex);
        }
        catch (ZmqException ex) {
            throw new ProxySetupException(side.role(), null, side.type(), ex.getMessage(), ex.error(), ex);
        }
        this.sockets.put(side.role(), socket);
        if (side.type() == SocketType.ROUTER && (side.role() == ProxyRole.FRONTEND || side.role() == ProxyRole.BACKEND)) {
            reportRefusals(socket);
        }
        List<String> resolved = new ArrayList<>();
        this.boundEndpoints.put(side.role(), resolved);
        for (int i = 0; i < side.bind().size(); i++) {
            String endpoint = side.bind().get(i);
            try {
                String bound = bind(socket, endpoint);
                resolved.add(bound);
                this.portRelease.bound(bound);
            }
            catch (ZmqException ex) {
                throw new ProxySetupException(side.role(), "bind[" + i + "]", endpoint, ex.getMessage(), ex.error(), ex);
            }
        }
        for (int i = 0; i < side.connect().size(); i++) {
            String endpoint = side.connect().get(i);
            try {
                connect(socket, endpoint);
            }
            catch (ZmqException ex) {
                throw new ProxySetupException(side.role(), "connect[" + i + "]", endpoint, ex.getMessage(), ex.error(),
                        ex);
            }
        }
    }

    /**
     * {@code ROUTER_MANDATORY}: the ROUTER reports a message for a full or gone peer ({@code EAGAIN},
     * {@code EHOSTUNREACH}) instead of dropping it silently and reporting success, so the proxy counts the drop.
     */
    private static void reportRefusals(ManagedSocket socket) {
        long stamp = socket.enter();
        try {
            socket.base().setSocketOpt(ZMQ.ZMQ_ROUTER_MANDATORY, true);
        }
        finally {
            socket.exit(stamp);
        }
    }

    private static String bind(ManagedSocket socket, String endpoint) {
        Endpoints.validate(endpoint, socket.type(), false);
        long stamp = socket.enter();
        try {
            return socket.bind(endpoint);
        }
        finally {
            socket.exit(stamp);
        }
    }

    private static void connect(ManagedSocket socket, String endpoint) {
        Endpoints.validate(endpoint, socket.type(), true);
        long stamp = socket.enter();
        try {
            if (!engineCall(() -> socket.connect(endpoint), socket, endpoint)) {
                throw socket.lastError("connect to '" + endpoint + "'");
            }
        }
        finally {
            socket.exit(stamp);
        }
    }

    /** Runs a bind or connect, turning the engine's exceptions into libzmq's errors. */
    private static boolean engineCall(BooleanSupplier call, ManagedSocket socket, String endpoint) {
        try {
            return call.getAsBoolean();
        }
        catch (IllegalArgumentException ex) {
            throw new ZmqException(ZmqError.EINVAL, socket.name() + ": invalid endpoint '" + endpoint + "'", ex);
        }
        catch (org.zeromq.ZMQException ex) {
            throw new ZmqException(ZmqError.fromErrno(ex.getErrorCode()),
                    socket.name() + ": '" + endpoint + "' failed", ex);
        }
    }
}
