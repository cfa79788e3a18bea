package io.github.zmqboot.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.github.zmqboot.core.ZmqException;
import io.github.zmqboot.core.ZmqPeer;
import io.github.zmqboot.core.ZmqSocket;
import io.github.zmqboot.internal.monitor.SteeringAudit;
import io.github.zmqboot.observation.SendObservable;
import io.github.zmqboot.observation.ZmqObserver;
import io.github.zmqboot.internal.proxy.DefaultZmqProxy;
import io.github.zmqboot.internal.engine.InvalidSocketOptionException;
import io.github.zmqboot.internal.socket.ZmqSockets;

/**
 * Builds the socket beans declared in {@link ZmqProperties}: creates each through {@link ZmqSockets},
 * then applies its {@code bind} and {@code connect} lists. Every failure becomes an
 * {@link InvalidZmqPropertyException} naming the exact property, e.g. {@code zmq.peers.alice.bind[0]}.
 */
class ConfiguredSockets {

    private final ZmqProperties properties;

    private final ZmqSockets sockets;

    private final SteeringAudit steeringAudit;

    private final ZmqObserver observer;

    private final ConfiguredBinds binds = new ConfiguredBinds();

    public ConfiguredSockets(ZmqProperties properties, ZmqSockets sockets, SteeringAudit steeringAudit) {
        this(properties, sockets, steeringAudit, null);
    }

    /** @param observer observes the sends of every socket and peer made, or {@code null} */
    public ConfiguredSockets(ZmqProperties properties, ZmqSockets sockets, SteeringAudit steeringAudit,
            ZmqObserver observer) {
        this.properties = properties;
        this.sockets = sockets;
        this.steeringAudit = steeringAudit;
        this.observer = observer;
    }

    /**
     * Creates the proxy {@code zmq.proxies.<name>}, checked but not started: it binds when its lifecycle starts it,
     * and a failure then is reported with the same property paths.
     */
    public DefaultZmqProxy createProxy(String name) {
        ProxyProperties config = entry(this.properties.getProxies(), "proxies", name);
        return ConfiguredProxies.create(name, config, this.sockets.socketFactory(), this.steeringAudit, this.binds);
    }

    /** Creates the socket {@code zmq.sockets.<name>}, then subscribes or joins, binds and connects it. */
    public ZmqSocket createSocket(String name) {
        SocketBeanProperties config = entry(this.properties.getSockets(), "sockets", name);
        return observed(ConfiguredZmqSockets.create(name, config, this.sockets, this.binds));
    }

    /** Creates, binds and connects the peer {@code zmq.peers.<name>}. */
    public ZmqPeer createPeer(String name) {
        String path = ZmqProperties.PREFIX + ".peers." + name;
        EndpointProperties config = entry(this.properties.getPeers(), "peers", name);
        String immediateSource = config.getImmediate() != null ? path + ".immediate"
                : ZmqProperties.PREFIX + ".defaults.immediate";
        Boolean immediate = config.getImmediate() != null ? config.getImmediate()
                : this.properties.getDefaults().getImmediate();
        if (Boolean.TRUE.equals(immediate) && !config.getConnect().isEmpty()) {
            throw new InvalidZmqPropertyException(immediateSource, true,
                    "a PEER with immediate=true has no connection, hence no routing id, until the handshake "
                            + "completes, so zmq_connect_peer refuses it (EFAULT) and the connect list cannot be applied",
                    "Remove 'immediate: true' (" + immediateSource + ") or move the endpoints of " + path
                            + ".connect to a peer without it.", null);
        }
        ZmqPeer peer;
        try {
            peer = this.sockets.createPeer(name, config.toSocketOptions());
        }
        catch (InvalidSocketOptionException ex) {
            throw new InvalidZmqPropertyException(path + "." + ex.option(), ex.value(), ex.reason(),
                    "Correct " + path + "." + ex.option() + " (see the README's table of socket options).", ex);
        }
        try {
            ConfiguredBinds.bindAll(path + ".bind", config.getBind(), peer::bind, this.binds);
            apply(path + ".connect", config.getConnect(), peer::connect);
        }
        catch (RuntimeException ex) {
            peer.close();
            throw ex;
        }
        return observed(peer);
    }

    /**
     * The bound entry {@code zmq.<map>.<name>}. The registrar found the name among the configured keys; the entry is
     * missing only when every key of it is unknown and came from system properties or environment variables (which
     * the strict binding exempts, as Boot does), e.g. a misspelt {@code ZMQ_PEERS_ALICE_BIN}.
     */
    private static <T> T entry(Map<String, T> entries, String map, String name) {
        T config = entries.get(name);
        if (config == null) {
            String path = ZmqProperties.PREFIX + "." + map + "." + name;
            throw new InvalidZmqPropertyException(path, null, "none of its keys is a known one",
                    "Correct the names of the keys of " + path + " (see the README's table of socket options).", null);
        }
        return config;
    }

    private <T> T observed(T socket) {
        if (this.observer != null && socket instanceof SendObservable observable) {
            observable.observeSends(this.observer);
        }
        return socket;
    }

    private static void apply(String path, List<String> endpoints, Consumer<String> action) {
        for (int i = 0; i < endpoints.size(); i++) {
            String endpoint = endpoints.get(i);
            try {
                action.accept(endpoint);
            }
            catch (ZmqException ex) {
                throw new InvalidZmqPropertyException(path + "[" + i + "]", endpoint, ex.getMessage(),
                        ConfiguredBinds.actionFor(ex.error()), ex);
            }
        }
    }
}
