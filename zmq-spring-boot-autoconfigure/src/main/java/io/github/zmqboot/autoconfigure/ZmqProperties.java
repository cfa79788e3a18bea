package io.github.zmqboot.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

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
    @NestedConfigurationProperty
    private final SocketProperties defaults = new SocketProperties();

    /**
     * PEER sockets: one ZmqPeer bean per entry, named by its key. Keys of an entry: bind, connect and every socket
     * option (immediate, linger, send-hwm, receive-hwm, max-message-size, heartbeat-interval, heartbeat-timeout,
     * reconnect-interval, handshake-interval, send-timeout, receive-timeout, conflate, ipv6, max-connections,
     * curve.*), e.g.
     * zmq.peers.alice.bind[0]=tcp://127.0.0.1:5555.
     */
    private final Map<String, EndpointProperties> peers = new LinkedHashMap<>();

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

    /** The peers under {@code zmq.peers}, by name: one {@code ZmqPeer} bean each. */
    public Map<String, EndpointProperties> getPeers() {
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

}
