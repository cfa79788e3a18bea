package io.github.zmqboot.actuate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.github.zmqboot.internal.context.ZmqContextManager;
import io.github.zmqboot.core.ProxyStatistics;
import io.github.zmqboot.core.ZmqPeer;
import io.github.zmqboot.core.ZmqProxy;
import io.github.zmqboot.core.ZmqSocket;
import io.github.zmqboot.listener.ZmqListenerContainer;
import io.github.zmqboot.listener.ZmqListenerEndpointRegistry;
import io.github.zmqboot.internal.engine.SocketBean;
import io.github.zmqboot.internal.proxy.DefaultZmqProxy;
import io.github.zmqboot.internal.proxy.ProxyDrops;
import io.github.zmqboot.internal.engine.ManagedSocket;
import io.github.zmqboot.internal.engine.ZmqSocketFactory;
import io.github.zmqboot.internal.transport.ConnectionCounts;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ListableBeanFactory;

/**
 * What the application's ZeroMQ parts look like right now — peers, sockets, proxies, listeners — as the maps the
 * {@code zmq} endpoint and the health details show. Secret keys never appear here.
 * <p>
 * Once the application context is closing (this bean is destroyed before the context manager it depends on), every
 * lookup answers empty: a lookup in a destroyed bean factory would create its singletons anew — a new ZeroMQ context
 * among them.
 */
public class ZmqInventory implements DisposableBean {

    private final ListableBeanFactory beanFactory;

    private final ZmqSocketEvents events;

    private final ZmqContextManager contextManager;

    private volatile boolean closed;

    public ZmqInventory(ListableBeanFactory beanFactory, ZmqSocketEvents events, ZmqContextManager contextManager) {
        this.beanFactory = beanFactory;
        this.events = events;
        this.contextManager = contextManager;
    }

    /** The ZeroMQ context manager. */
    public ZmqContextManager contextManager() {
        return this.contextManager;
    }

    /** Whether the application context closed (or is closing): the inventory is empty then. */
    public boolean isClosed() {
        return this.closed;
    }

    @Override
    public void destroy() {
        this.closed = true;
    }

    /** Peers by bean name. */
    public Map<String, ZmqPeer> peers() {
        return beansOfType(ZmqPeer.class);
    }

    /** Sockets by bean name. */
    public Map<String, ZmqSocket> sockets() {
        return beansOfType(ZmqSocket.class);
    }

    /** Proxies by bean name. */
    public Map<String, ZmqProxy> proxies() {
        return beansOfType(ZmqProxy.class);
    }

    private <T> Map<String, T> beansOfType(Class<T> type) {
        if (this.closed) {
            return new TreeMap<>();
        }
        return new TreeMap<>(this.beanFactory.getBeansOfType(type));
    }

    /** Listener containers by id. */
    public Map<String, ZmqListenerContainer> listeners() {
        Map<String, ZmqListenerContainer> listeners = new TreeMap<>();
        if (this.closed) {
            return listeners;
        }
        for (ZmqListenerEndpointRegistry registry : this.beanFactory.getBeansOfType(ZmqListenerEndpointRegistry.class)
            .values()) {
            registry.getListenerContainers().forEach(container -> listeners.put(container.getId(), container));
        }
        return listeners;
    }

    /** The whole inventory: {@code peers}, {@code sockets}, {@code proxies}, {@code listeners}. */
    public Map<String, Object> describe() {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("peers", describeEach(peers(), this::describe));
        all.put("sockets", describeEach(sockets(), this::describe));
        all.put("proxies", describeEach(proxies(), ZmqInventory::describe));
        all.put("listeners", describeEach(listeners(), ZmqInventory::describe));
        return all;
    }

    Map<String, Object> describe(ZmqPeer peer) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("endpoints", peer.boundEndpoints());
        Map<String, String> connections = new TreeMap<>();
        // the number the application's code sees: what connect() returned and @RoutingId receives, negatives included
        peer.connections().forEach((routingId, endpoint) -> connections.put(String.valueOf(routingId), endpoint));
        details.put("connections", connections);
        if (peer instanceof SocketBean bean) {
            putUnresolved(details, bean.managedSocket());
        }
        putConnections(details, peer.name());
        putLastEvent(details, peer.name());
        return details;
    }

    Map<String, Object> describe(ZmqSocket socket) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("type", socket.type().name());
        details.put("endpoints", socket.boundEndpoints());
        if (socket instanceof SocketBean bean) {
            putUnresolved(details, bean.managedSocket());
        }
        putConnections(details, socket.name());
        putLastEvent(details, socket.name());
        return details;
    }

    /** A proxy's state, endpoints and statistics. */
    public static Map<String, Object> describe(ZmqProxy proxy) {
        Map<String, Object> details = new LinkedHashMap<>();
        if (proxy instanceof DefaultZmqProxy configured) {
            details.put("type", configured.type());
        }
        details.put("state", proxy.state().name());
        details.put("frontendEndpoints", proxy.frontendEndpoints());
        details.put("backendEndpoints", proxy.backendEndpoints());
        if (!proxy.controlEndpoints().isEmpty()) {
            details.put("controlEndpoints", proxy.controlEndpoints());
        }
        details.put("statistics", describe(proxy.statistics()));
        if (proxy instanceof DefaultZmqProxy configured) {
            ProxyDrops dropped = configured.dropped();
            details.put("dropped", Map.of(
                    "frontend", Map.of("full", dropped.frontendFull(), "unreachable", dropped.frontendUnreachable()),
                    "backend", Map.of("full", dropped.backendFull(), "unreachable", dropped.backendUnreachable())));
        }
        if (proxy instanceof DefaultZmqProxy configured) {
            Map<String, Object> sides = new LinkedHashMap<>();
            configured.connectionCounts().forEach((side, counts) -> {
                Map<String, Object> shown = describe(counts);
                if (!shown.isEmpty()) {
                    sides.put(side, shown);
                }
            });
            if (!sides.isEmpty()) {
                details.put("connections", sides);
            }
        }
        if (proxy.failure() != null) {
            details.put("failure", String.valueOf(proxy.failure()));
        }
        return details;
    }

    /** A listener container's socket, state and counts. */
    public static Map<String, Object> describe(ZmqListenerContainer container) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("socket", container.getSocketName());
        details.put("running", container.isRunning());
        if (container.isDead()) {
            details.put("dead", true);
        }
        details.put("handled", container.handled());
        details.put("failed", container.failed());
        details.put("concurrency", container.getConcurrency());
        return details;
    }

    private static Map<String, Object> describe(ProxyStatistics statistics) {
        Map<String, Object> counters = new LinkedHashMap<>();
        counters.put("frontendMessagesIn", statistics.frontendMessagesIn());
        counters.put("frontendBytesIn", statistics.frontendBytesIn());
        counters.put("frontendMessagesOut", statistics.frontendMessagesOut());
        counters.put("frontendBytesOut", statistics.frontendBytesOut());
        counters.put("backendMessagesIn", statistics.backendMessagesIn());
        counters.put("backendBytesIn", statistics.backendBytesIn());
        counters.put("backendMessagesOut", statistics.backendMessagesOut());
        counters.put("backendBytesOut", statistics.backendBytesOut());
        return counters;
    }

    /** Connects whose host name does not resolve yet: not connected, retried every reconnect-interval. */
    private static void putUnresolved(Map<String, Object> details, ManagedSocket socket) {
        List<String> unresolved = socket.unresolvedConnects();
        if (!unresolved.isEmpty()) {
            details.put("unresolved", unresolved);
        }
    }

    /**
     * A socket's inbound connections when it has {@code max-connections} ({@code inboundConnections},
     * {@code maxConnections}), and the connections its transports refused or dropped as hostile
     * ({@code refusedConnections}, by reason, when there are any).
     */
    private void putConnections(Map<String, Object> details, String socket) {
        if (this.closed) {
            return;
        }
        ZmqSocketFactory factory = this.beanFactory.getBeanProvider(ZmqSocketFactory.class).getIfAvailable();
        if (factory != null) {
            details.putAll(describe(factory.connectionCounts(socket)));
        }
    }

    private static Map<String, Object> describe(ConnectionCounts counts) {
        Map<String, Object> details = new LinkedHashMap<>();
        if (counts.maxConnections() >= 0) {
            details.put("inboundConnections", counts.open());
            details.put("maxConnections", counts.maxConnections());
        }
        if (counts.anyRefused()) {
            details.put("refusedConnections", counts.refused());
        }
        return details;
    }

    private void putLastEvent(Map<String, Object> details, String socket) {
        Map<String, Object> last = this.events.lastEvent(socket);
        if (last != null) {
            details.put("lastEvent", last);
        }
    }

    private static <T> Map<String, Object> describeEach(Map<String, T> items,
            java.util.function.Function<T, Map<String, Object>> describer) {
        Map<String, Object> described = new LinkedHashMap<>();
        items.forEach((name, item) -> described.put(name, describer.apply(item)));
        return described;
    }
}
