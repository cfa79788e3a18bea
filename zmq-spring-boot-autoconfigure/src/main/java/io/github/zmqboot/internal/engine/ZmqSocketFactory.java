package io.github.zmqboot.internal.engine;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;

import io.github.zmqboot.core.ZmqError;
import io.github.zmqboot.core.ZmqException;
import io.github.zmqboot.core.ZmqSocketCustomizer;
import io.github.zmqboot.internal.context.ZmqContextManager;
import io.github.zmqboot.internal.monitor.SecurityLog;
import io.github.zmqboot.internal.monitor.SocketEventHook;
import io.github.zmqboot.internal.monitor.SocketMonitor;
import io.github.zmqboot.internal.transport.ConnectionCounts;
import io.github.zmqboot.internal.transport.ConnectionGuards;
import io.github.zmqboot.internal.transport.TlsMaterial;
import io.github.zmqboot.internal.transport.Transports;
import org.jspecify.annotations.Nullable;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;
import zmq.SocketBase;
import zmq.msg.MsgAllocator;

/**
 * The one place where the starter creates and configures engine sockets: every peer, socket and proxy side comes
 * from here (as a {@link ManagedSocket}), so options, security, customizers and frame guards apply to all of them
 * alike. The socket beans ({@code ZmqPeer}, {@code ZmqSocket}) are built over these sockets in the socket-kinds
 * layer ({@code internal.socket.ZmqSockets}).
 * <p>
 * Options are resolved socket's own &gt; {@code zmq.defaults} &gt; {@code zmq.context.linger} &gt; built-in
 * ({@link SocketOptions#BUILT_IN}), validated, and applied with libzmq's meaning, CURVE security included (a server
 * that lists its clients gets a ZAP domain of its own, registered with the context's {@link ZapDomains}); then the
 * customizers run; last, the {@link FrameSizeGuard} (CVE-2019-6250) is installed over the socket's allocator, and
 * the socket's engine events go to the factory's {@link SocketMonitor} (which counts and logs connections dropped for
 * oversized messages).
 */
public class ZmqSocketFactory {

    private final ZmqContextManager contextManager;

    private final LongAdder rejectedFrames = new LongAdder();

    private final SocketOptions defaults;

    private final List<ZmqSocketCustomizer> customizers;

    private final SocketMonitor socketMonitor;

    private final ConnectionGuards connectionGuards = new ConnectionGuards();

    private final Object zapLock = new Object();

    private Supplier<? extends ZapDomains> zapDomainsStarter = () -> {
        throw new InvalidSocketOptionException("curve.allowed-clients", "(keys)", "this socket factory has no ZAP "
                + "handler (create the socket beans' ZmqSockets over it)");
    };

    private @Nullable ZapDomains zapDomains;

    private final Function<String, Supplier<TlsMaterial>> sslBundles;

    /**
     * @param contextManager the context that owns every socket
     * @param defaults the fallback for every option a socket does not set (every value non-null)
     * @param customizers applied in order to every socket
     */
    public ZmqSocketFactory(ZmqContextManager contextManager, SocketOptions defaults,
            List<ZmqSocketCustomizer> customizers) {
        this(contextManager, defaults, customizers, name -> {
            throw new InvalidSocketOptionException("ssl-bundle", name, "no SSL bundles are configured"
                    + " (spring.ssl.bundle.*)");
        });
    }

    /**
     * @param contextManager the context that owns every socket
     * @param defaults the fallback for every option a socket does not set (every value non-null)
     * @param customizers applied in order to every socket
     * @param sslBundles the TLS material of an SSL bundle by name (asked again for each new wss connection);
     * throws {@link InvalidSocketOptionException} for an unknown name
     */
    public ZmqSocketFactory(ZmqContextManager contextManager, SocketOptions defaults,
            List<ZmqSocketCustomizer> customizers, Function<String, Supplier<TlsMaterial>> sslBundles) {
        this.sslBundles = sslBundles;
        this.contextManager = contextManager;
        this.socketMonitor = new SocketMonitor(contextManager.threads());
        this.defaults = defaults.withFallback(SocketOptions.BUILT_IN);
        this.customizers = List.copyOf(customizers);
    }

    /**
     * Where the ZAP domains of CURVE servers that list their clients go: {@code starter} starts the context's ZAP
     * handler, and is called once, for the first such server (before that socket exists). Without it, such a server
     * fails with an {@link InvalidSocketOptionException}.
     */
    public void useZapDomains(Supplier<? extends ZapDomains> starter) {
        synchronized (this.zapLock) {
            this.zapDomainsStarter = starter;
        }
    }

    /**
     * Hostile frames (negative or impossible sizes, CVE-2019-6250) the guards of every socket this factory made
     * dropped, proxy sides included.
     */
    public long rejectedFrames() {
        return this.rejectedFrames.sum();
    }

    /**
     * The inbound connections of the socket of this name (a peer's, a socket's, or a proxy side's, named
     * {@code <proxy>.frontend} etc.) and the connections its transports refused or dropped as hostile
     * ({@code max-connections}, handshake timeouts, oversized handshake frames, failed accepts).
     */
    public ConnectionCounts connectionCounts(String socketName) {
        return this.connectionGuards.counts(socketName);
    }

    /** The context manager that owns the sockets. */
    public ZmqContextManager contextManager() {
        return this.contextManager;
    }

    /**
     * The engine events of every socket this factory creates (one shared monitor thread, made by the context
     * manager's {@link ZmqContextManager#threads() thread factory}).
     */
    public SocketMonitor socketMonitor() {
        return this.socketMonitor;
    }

    /**
     * Creates a configured socket of any type, owned by the context.
     *
     * @throws InvalidSocketOptionException when an option is invalid
     * @throws ZmqException when the engine refuses the socket
     */
    public ManagedSocket createSocket(String name, SocketType type, SocketOptions options) {
        return createSocket(name, type, options, false, new SocketTraffic());
    }

    /**
     * Creates a configured socket that any thread may use between {@link ManagedSocket#enter()} and
     * {@link ManagedSocket#exit(long)}, whatever its type: for a type the engine does not make thread-safe, those
     * hold a lock of the socket's own (see {@link ManagedSocket}).
     *
     * @param traffic where its messages are counted (kept across a replacement of the socket)
     * @throws InvalidSocketOptionException when an option is invalid
     * @throws ZmqException when the engine refuses the socket
     */
    public ManagedSocket createSharedSocket(String name, SocketType type, SocketOptions options,
            SocketTraffic traffic) {
        return createSocket(name, type, options, true, traffic);
    }

    private ManagedSocket createSocket(String name, SocketType type, SocketOptions options, boolean shared,
            SocketTraffic traffic) {
        SocketOptions effective = options.withFallback(this.defaults);
        effective.validate();
        if (Boolean.TRUE.equals(options.routerMandatory()) && type != SocketType.ROUTER) {
            throw new InvalidSocketOptionException("router-mandatory", true, "applies to ROUTER sockets only, not " + type);
        }
        CurveOptions.Keys curve = effective.curve() != null ? effective.curve().resolve() : null; // null: none
        ZapDomains zap = null;
        if (curve != null && !curve.allowedClients().isEmpty()) {
            // before the socket exists: the handler's own socket comes from this factory and the context's lock
            zap = zapDomains();
            zap.allow(name, curve.allowedClients());
        }
        ZapDomains serverZap = zap;
        Supplier<TlsMaterial> tls = (effective.sslBundle() != null) ? this.sslBundles.apply(effective.sslBundle()) : null;
        return this.contextManager.createSocket(type, socket -> {
            SecurityLog.register(socket.base(), name);
            apply(effective, type, socket);
            if (tls != null) {
                Transports.useTls(socket.base(), tls);
            }
            this.connectionGuards.register(socket.base(), name, effective.maxConnections());
            if (curve != null) {
                applyCurve(name, curve, socket.base());
            }
            if (serverZap != null) {
                serverZap.reportRefusalsOn(name, socket.base());
            }
            this.customizers.forEach(customizer -> customizer.customize(name, type, socket));
            FrameSizeGuard guard = guard(name, socket, effective.maxMessageSize());
            SocketEventHook events = this.socketMonitor.attach(name, type, socket.base(), effective.maxMessageSize());
            return new ManagedSocket(name, type, socket, effective, this.contextManager, guard, events, shared,
                    traffic);
        });
    }

    private static void apply(SocketOptions options, SocketType type, ZMQ.Socket socket) {
        SocketBase base = socket.base();
        set(base, "send-hwm", zmq.ZMQ.ZMQ_SNDHWM, options.sendHwm());
        set(base, "receive-hwm", zmq.ZMQ.ZMQ_RCVHWM, options.receiveHwm());
        // The engine's ZMQ_IMMEDIATE flag is the inverse of libzmq's (true = attach the pipe at connect).
        set(base, "immediate", zmq.ZMQ.ZMQ_IMMEDIATE, !options.immediate());
        set(base, "max-message-size", zmq.ZMQ.ZMQ_MAXMSGSIZE, options.maxMessageSize());
        set(base, "heartbeat-interval", zmq.ZMQ.ZMQ_HEARTBEAT_IVL, SocketOptions.millis(options.heartbeatInterval()));
        set(base, "heartbeat-timeout", zmq.ZMQ.ZMQ_HEARTBEAT_TIMEOUT, SocketOptions.millis(options.heartbeatTimeout()));
        set(base, "reconnect-interval", zmq.ZMQ.ZMQ_RECONNECT_IVL, SocketOptions.millis(options.reconnectInterval()));
        set(base, "handshake-interval", zmq.ZMQ.ZMQ_HANDSHAKE_IVL, SocketOptions.millis(options.handshakeInterval()));
        set(base, "send-timeout", zmq.ZMQ.ZMQ_SNDTIMEO, SocketOptions.millis(options.sendTimeout()));
        set(base, "receive-timeout", zmq.ZMQ.ZMQ_RCVTIMEO, SocketOptions.millis(options.receiveTimeout()));
        set(base, "linger", zmq.ZMQ.ZMQ_LINGER, SocketOptions.millis(options.linger()));
        if (options.routingId() != null && !options.routingId().isEmpty()) {
            set(base, "routing-id", zmq.ZMQ.ZMQ_IDENTITY, options.routingId().getBytes(StandardCharsets.UTF_8));
        }
        if (type == SocketType.ROUTER) {
            set(base, "router-mandatory", zmq.ZMQ.ZMQ_ROUTER_MANDATORY, options.routerMandatory());
        }
        if (options.conflate()) {
            set(base, "conflate", zmq.ZMQ.ZMQ_CONFLATE, true);
        }
        set(base, "ipv6", zmq.ZMQ.ZMQ_IPV6, options.ipv6());
    }

    /** CURVE: a server (with its ZAP domain when it lists its clients) or a client. */
    private static void applyCurve(String name, CurveOptions.Keys curve, SocketBase base) {
        if (curve.server()) {
            set(base, "curve.server", zmq.ZMQ.ZMQ_CURVE_SERVER, true);
            setSecret(base, "curve.secret-key", zmq.ZMQ.ZMQ_CURVE_SECRETKEY, curve.secretKey());
            if (curve.publicKey() != null) {
                set(base, "curve.public-key", zmq.ZMQ.ZMQ_CURVE_PUBLICKEY, curve.publicKey());
            }
            if (!curve.allowedClients().isEmpty()) {
                set(base, "curve.allowed-clients", zmq.ZMQ.ZMQ_ZAP_DOMAIN, name);
            }
        }
        else {
            set(base, "curve.public-key", zmq.ZMQ.ZMQ_CURVE_PUBLICKEY, curve.publicKey());
            setSecret(base, "curve.secret-key", zmq.ZMQ.ZMQ_CURVE_SECRETKEY, curve.secretKey());
            set(base, "curve.server-key", zmq.ZMQ.ZMQ_CURVE_SERVERKEY, curve.serverKey());
        }
    }

    /** The context's ZAP domains, whose handler starts with the first CURVE server that lists its clients. */
    private ZapDomains zapDomains() {
        synchronized (this.zapLock) {
            if (this.zapDomains == null) {
                this.zapDomains = this.zapDomainsStarter.get();
            }
            return this.zapDomains;
        }
    }

    /**
     * Installs the {@link FrameSizeGuard} over whatever allocator the socket has (a customizer's included). Last,
     * because setting an allocation threshold afterwards would replace it.
     */
    private FrameSizeGuard guard(String name, ZMQ.Socket socket, long maxMessageSize) {
        SocketBase base = socket.base();
        MsgAllocator current = (MsgAllocator) base.getSocketOptx(zmq.ZMQ.ZMQ_MSG_ALLOCATOR);
        FrameSizeGuard guard = new FrameSizeGuard(name, base,
                current != null ? current : zmq.ZMQ.DEFAULT_MSG_ALLOCATOR, maxMessageSize).countingAlsoIn(this.rejectedFrames);
        set(base, "msg-allocator", zmq.ZMQ.ZMQ_MSG_ALLOCATOR, guard);
        return guard;
    }

    /** {@link #set} for a secret: a refusal's message does not show it. */
    private static void setSecret(SocketBase base, String option, int engineOption, Object secret) {
        try {
            set(base, option, engineOption, secret);
        }
        catch (InvalidSocketOptionException ex) {
            throw new InvalidSocketOptionException(option, "(hidden)", "refused by the engine");
        }
    }

    private static void set(SocketBase base, String option, int engineOption, Object value) {
        boolean applied;
        try {
            applied = base.setSocketOpt(engineOption, value);
        }
        catch (IllegalArgumentException ex) {
            throw new InvalidSocketOptionException(option, value, "refused by the engine: " + ex.getMessage());
        }
        if (!applied) {
            throw new InvalidSocketOptionException(option, value,
                    "refused by the engine (" + ZmqError.fromErrno(base.errno()) + ")");
        }
    }
}
