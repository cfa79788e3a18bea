package io.github.zmqboot.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.zmqboot.internal.engine.CurveOptions;
import io.github.zmqboot.internal.engine.SocketOptions;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.UnboundElementsSourceFilter;
import org.springframework.core.env.Environment;

/**
 * Configuration of ZeroMQ under the prefix {@code zmq}: the context, defaults for every socket, and one
 * {@code ZmqPeer} bean per entry of {@code zmq.peers}. Unknown keys under {@code zmq} fail startup, so a typo in
 * an option name never goes unnoticed (system properties and environment variables are exempt, as in Boot).
 */
@ConfigurationProperties(prefix = ZmqProperties.PREFIX, ignoreUnknownFields = false)
public class ZmqProperties {

    /** The property prefix. */
    public static final String PREFIX = "zmq";

    /** Whether to enable the ZeroMQ auto-configuration. */
    private boolean enabled = true;

    /** The ZeroMQ context. */
    private final Context context = new Context();

    /**
     * Options for every peer, socket and proxy side that does not set its own. Precedence: the socket's own
     * option, then these, then zmq.context.linger (for linger), then the built-in default.
     */
    private final SocketProperties defaults = new SocketProperties();

    /**
     * PEER sockets: one ZmqPeer bean per entry, named by its key. Keys of an entry: bind, connect and every socket
     * option (immediate, linger, send-hwm, receive-hwm, max-message-size, heartbeat-interval, heartbeat-timeout,
     * reconnect-interval, handshake-interval, send-timeout, receive-timeout, conflate, ipv6, max-connections,
     * curve.*), e.g.
     * zmq.peers.alice.bind[0]=tcp://127.0.0.1:5555.
     */
    private final Map<String, Peer> peers = new LinkedHashMap<>();

    /**
     * Sockets of any other type: one ZmqSocket bean per entry, named by its key. Keys of an entry: type (required: a
     * SocketType name but PEER), bind, connect, subscribe (SUB), join (DISH) and every socket option, e.g.
     * zmq.sockets.ticks.type=SUB.
     */
    private final Map<String, SocketBeanProperties> sockets = new LinkedHashMap<>();

    /**
     * Proxies (zmq_proxy_steerable): one ZmqProxy bean per entry, named by its key. Keys of an entry: type
     * (router-dealer, xsub-xpub, pull-push), auto-startup, and the sides frontend, backend, capture
     * and control, each with type, bind, connect and every socket option, e.g.
     * zmq.proxies.broker.frontend.bind[0]=tcp://*:5559.
     */
    private final Map<String, ProxyProperties> proxies = new LinkedHashMap<>();

    /** Micrometer observations of listener calls and sends. */
    private final Observation observation = new Observation();

    public boolean isEnabled() {
        return this.enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Context getContext() {
        return this.context;
    }

    public SocketProperties getDefaults() {
        return this.defaults;
    }

    public Map<String, Peer> getPeers() {
        return this.peers;
    }

    /** The sockets under {@code zmq.sockets}, by name: one {@code ZmqSocket} bean each, of any type but PEER. */
    public Map<String, SocketBeanProperties> getSockets() {
        return this.sockets;
    }

    /** The proxies under {@code zmq.proxies}, by name: one {@code ZmqProxy} bean each. */
    public Map<String, ProxyProperties> getProxies() {
        return this.proxies;
    }

    /**
     * Binds the {@code zmq} properties of {@code environment} strictly (unknown keys fail), as the
     * {@code @ConfigurationProperties} bean is bound; used where the bean does not exist yet.
     */
    public static ZmqProperties bind(Environment environment) {
        return Binder.get(environment)
            .bind(PREFIX, Bindable.of(ZmqProperties.class), new NoUnboundElementsBindHandler(BindHandler.DEFAULT, new UnboundElementsSourceFilter()))
            .orElseGet(ZmqProperties::new);
    }

    public Observation getObservation() {
        return this.observation;
    }

    /** Micrometer observations (zmq.listener, zmq.send), read by ZmqObservationAutoConfiguration. */
    public static class Observation {

        /**
         * Whether listener calls and sends of the socket beans are Micrometer observations ('zmq.listener',
         * 'zmq.send'), when the application has an ObservationRegistry.
         */
        private boolean enabled = false;

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** The ZeroMQ context. */
    public static class Context {

        /** Number of I/O threads (0 allows only inproc; tcp and ipc then fail with EMTHREAD). */
        private int ioThreads = 1;

        /** Maximum number of sockets the context may hold. */
        private int maxSockets = 1024;

        /** Linger of every socket that sets none of its own (nor in zmq.defaults). Negative = infinite. */
        private Duration linger = Duration.ofSeconds(1);

        public int getIoThreads() {
            return this.ioThreads;
        }

        public void setIoThreads(int ioThreads) {
            this.ioThreads = ioThreads;
        }

        public int getMaxSockets() {
            return this.maxSockets;
        }

        public void setMaxSockets(int maxSockets) {
            this.maxSockets = maxSockets;
        }

        public Duration getLinger() {
            return this.linger;
        }

        public void setLinger(Duration linger) {
            this.linger = linger;
        }
    }

    /**
     * Socket options with libzmq's meaning. An option left unset falls back to {@code zmq.defaults}, then the
     * built-in default named in its description.
     */
    public static class SocketProperties {

        /** Messages queued per connection for sending (ZMQ_SNDHWM; 0 = unlimited). Built-in default 1000. */
        private Integer sendHwm;

        /** Messages queued per connection for receiving (ZMQ_RCVHWM; 0 = unlimited). Built-in default 1000. */
        private Integer receiveHwm;

        /**
         * Queue messages only to completed connections (ZMQ_IMMEDIATE, libzmq's meaning). A PEER with
         * immediate=true cannot connect (EFAULT). Built-in default false.
         */
        private Boolean immediate;

        /**
         * Largest inbound message part (frame) in bytes; a larger one drops its connection (ZMQ_MAXMSGSIZE).
         * Built-in default 1048576 (1 MiB), unlike libzmq; -1 = no limit (libzmq's default).
         */
        private Long maxMessageSize;

        /** Interval of ZMTP heartbeats (ZMQ_HEARTBEAT_IVL; 0 = off). Built-in default 0. */
        private Duration heartbeatInterval;

        /** How long to wait for a heartbeat reply before closing the connection (ZMQ_HEARTBEAT_TIMEOUT). */
        private Duration heartbeatTimeout;

        /** Interval between reconnect attempts (ZMQ_RECONNECT_IVL). Built-in default 100ms. */
        private Duration reconnectInterval;

        /**
         * Maximum time for the whole ZMTP handshake, greeting through the mechanism's last command; a connection that
         * has not completed it is closed (ZMQ_HANDSHAKE_IVL; 0 = no limit). Built-in default 5s.
         */
        private Duration handshakeInterval;

        /** Send timeout (ZMQ_SNDTIMEO): -1 blocks while the HWM is reached, otherwise EAGAIN after this long. */
        private Duration sendTimeout;

        /** Receive timeout of blocking engine receives (ZMQ_RCVTIMEO; -1 = block). */
        private Duration receiveTimeout;

        /** How long unsent messages are kept after close (ZMQ_LINGER; -1 = infinite). Default zmq.context.linger. */
        private Duration linger;

        /** The identity a ROUTER sees for this socket (ZMQ_ROUTING_ID; DEALER, REQ, ROUTER). */
        private String routingId;

        /** ROUTER only: a message to an unknown identity fails with EHOSTUNREACH instead of vanishing. */
        private Boolean routerMandatory;

        /** Keep only the last message in each queue (ZMQ_CONFLATE). Built-in default false. */
        private Boolean conflate;

        /** Use IPv6 as well as IPv4 (ZMQ_IPV6). Built-in default false. */
        private Boolean ipv6;

        /** CURVE security (ZMQ_CURVE_*); unset: no security (the NULL mechanism). */
        private Curve curve;

        /**
         * Name of the Spring Boot SSL bundle (spring.ssl.bundle.*) of wss:// endpoints: a bind serves its key store,
         * a connect trusts its trust store. Unset: a wss connect trusts the JVM's default trust store.
         */
        private String sslBundle;

        /**
         * The most inbound connections at once, over all the socket's bound endpoints together; a connection beyond
         * it is accepted and closed at once, counted and shown in the health details (-1 = no limit). Built-in
         * default -1.
         */
        private Integer maxConnections;

        /** These options as the socket factory takes them (unset values stay null). */
        public SocketOptions toSocketOptions() {
            return new SocketOptions(this.sendHwm, this.receiveHwm, this.immediate, this.maxMessageSize,
                    this.heartbeatInterval, this.heartbeatTimeout, this.reconnectInterval, this.handshakeInterval,
                    this.sendTimeout, this.receiveTimeout, this.linger, this.routingId, this.routerMandatory,
                    this.conflate, this.ipv6, this.curve != null ? this.curve.toCurveOptions() : null,
                    this.sslBundle, this.maxConnections);
        }

        public Integer getMaxConnections() {
            return this.maxConnections;
        }

        public void setMaxConnections(Integer maxConnections) {
            this.maxConnections = maxConnections;
        }

        public String getSslBundle() {
            return this.sslBundle;
        }

        public void setSslBundle(String sslBundle) {
            this.sslBundle = sslBundle;
        }

        public Integer getSendHwm() {
            return this.sendHwm;
        }

        public void setSendHwm(Integer sendHwm) {
            this.sendHwm = sendHwm;
        }

        public Integer getReceiveHwm() {
            return this.receiveHwm;
        }

        public void setReceiveHwm(Integer receiveHwm) {
            this.receiveHwm = receiveHwm;
        }

        public Boolean getImmediate() {
            return this.immediate;
        }

        public void setImmediate(Boolean immediate) {
            this.immediate = immediate;
        }

        public Long getMaxMessageSize() {
            return this.maxMessageSize;
        }

        public void setMaxMessageSize(Long maxMessageSize) {
            this.maxMessageSize = maxMessageSize;
        }

        public Duration getHeartbeatInterval() {
            return this.heartbeatInterval;
        }

        public void setHeartbeatInterval(Duration heartbeatInterval) {
            this.heartbeatInterval = heartbeatInterval;
        }

        public Duration getHeartbeatTimeout() {
            return this.heartbeatTimeout;
        }

        public void setHeartbeatTimeout(Duration heartbeatTimeout) {
            this.heartbeatTimeout = heartbeatTimeout;
        }

        public Duration getReconnectInterval() {
            return this.reconnectInterval;
        }

        public void setReconnectInterval(Duration reconnectInterval) {
            this.reconnectInterval = reconnectInterval;
        }

        public Duration getHandshakeInterval() {
            return this.handshakeInterval;
        }

        public void setHandshakeInterval(Duration handshakeInterval) {
            this.handshakeInterval = handshakeInterval;
        }

        public Duration getSendTimeout() {
            return this.sendTimeout;
        }

        public void setSendTimeout(Duration sendTimeout) {
            this.sendTimeout = sendTimeout;
        }

        public Duration getReceiveTimeout() {
            return this.receiveTimeout;
        }

        public void setReceiveTimeout(Duration receiveTimeout) {
            this.receiveTimeout = receiveTimeout;
        }

        public Duration getLinger() {
            return this.linger;
        }

        public void setLinger(Duration linger) {
            this.linger = linger;
        }

        public String getRoutingId() {
            return this.routingId;
        }

        public void setRoutingId(String routingId) {
            this.routingId = routingId;
        }

        public Boolean getRouterMandatory() {
            return this.routerMandatory;
        }

        public void setRouterMandatory(Boolean routerMandatory) {
            this.routerMandatory = routerMandatory;
        }

        public Boolean getConflate() {
            return this.conflate;
        }

        public void setConflate(Boolean conflate) {
            this.conflate = conflate;
        }

        public Boolean getIpv6() {
            return this.ipv6;
        }

        public void setIpv6(Boolean ipv6) {
            this.ipv6 = ipv6;
        }

        public Curve getCurve() {
            return this.curve;
        }

        public void setCurve(Curve curve) {
            this.curve = curve;
        }
    }

    /**
     * CURVE security of a socket (RFC 26). A server needs its secret key and may list the client public keys it
     * accepts; a client needs its own key pair and the server's public key. Keys are 40-character Z85 strings
     * (quote them in YAML), inline or from ZCert certificate files.
     */
    public static class Curve {

        /** Whether this socket is the CURVE server side (ZMQ_CURVE_SERVER). */
        private boolean server;

        /** This socket's public key, Z85 (ZMQ_CURVE_PUBLICKEY). */
        private String publicKey;

        /** This socket's secret key, Z85 (ZMQ_CURVE_SECRETKEY). Never shown in any output. */
        private String secretKey;

        /** The server's public key, Z85, for a client (ZMQ_CURVE_SERVERKEY). */
        private String serverKey;

        /** A ZCert certificate file holding this socket's public key (instead of public-key). */
        private Path publicKeyFile;

        /** A ZCert certificate file holding this socket's secret key (instead of secret-key). */
        private Path secretKeyFile;

        /** A ZCert certificate file holding the server's public key (instead of server-key). */
        private Path serverKeyFile;

        /** A server's accepted client public keys (Z85); empty: any client that knows the server key. */
        private List<String> allowedClients = new ArrayList<>();

        /** These settings as the socket factory takes them. */
        public CurveOptions toCurveOptions() {
            return new CurveOptions(this.server, this.publicKey, this.secretKey, this.serverKey, this.publicKeyFile,
                    this.secretKeyFile, this.serverKeyFile, this.allowedClients);
        }

        public boolean isServer() {
            return this.server;
        }

        public void setServer(boolean server) {
            this.server = server;
        }

        public String getPublicKey() {
            return this.publicKey;
        }

        public void setPublicKey(String publicKey) {
            this.publicKey = publicKey;
        }

        public String getSecretKey() {
            return this.secretKey;
        }

        public void setSecretKey(String secretKey) {
            this.secretKey = secretKey;
        }

        public String getServerKey() {
            return this.serverKey;
        }

        public void setServerKey(String serverKey) {
            this.serverKey = serverKey;
        }

        public Path getPublicKeyFile() {
            return this.publicKeyFile;
        }

        public void setPublicKeyFile(Path publicKeyFile) {
            this.publicKeyFile = publicKeyFile;
        }

        public Path getSecretKeyFile() {
            return this.secretKeyFile;
        }

        public void setSecretKeyFile(Path secretKeyFile) {
            this.secretKeyFile = secretKeyFile;
        }

        public Path getServerKeyFile() {
            return this.serverKeyFile;
        }

        public void setServerKeyFile(Path serverKeyFile) {
            this.serverKeyFile = serverKeyFile;
        }

        public List<String> getAllowedClients() {
            return this.allowedClients;
        }

        public void setAllowedClients(List<String> allowedClients) {
            this.allowedClients = allowedClients;
        }
    }

    /** A PEER socket: its options, and the endpoints it binds and connects at startup. */
    public static class Peer extends SocketProperties {

        /** Endpoints to bind at startup, e.g. tcp://127.0.0.1:5555 (port 0 or * = ephemeral). */
        private List<String> bind = new ArrayList<>();

        /** Endpoints to connect at startup; each connection's routing id is in connections(). */
        private List<String> connect = new ArrayList<>();

        public List<String> getBind() {
            return this.bind;
        }

        public void setBind(List<String> bind) {
            this.bind = bind;
        }

        public List<String> getConnect() {
            return this.connect;
        }

        public void setConnect(List<String> connect) {
            this.connect = connect;
        }
    }
}
