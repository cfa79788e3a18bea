package io.github.zmqboot.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.github.zmqboot.core.ZmqError;
import io.github.zmqboot.core.ZmqException;
import io.github.zmqboot.core.ZmqProxy;

/**
 * Which {@code bind} property of this application holds which tcp port, so that a later bind of the same application
 * that finds its port taken ({@code EADDRINUSE}) can name both properties: the one that failed and the one that
 * holds the port. Peers and sockets are recorded as they bind; proxies (which bind when they start) are asked for
 * their bound endpoints when a clash is reported.
 */
final class ConfiguredBinds {

    /** Property path of a bind entry, by the endpoint it resolved to. */
    private final Map<String, String> propertyByEndpoint = new ConcurrentHashMap<>();

    /** Proxies by property path ({@code zmq.proxies.<name>}). */
    private final Map<String, ZmqProxy> proxies = new ConcurrentHashMap<>();

    /** Records that {@code property} bound {@code resolvedEndpoint}. */
    void bound(String property, String resolvedEndpoint) {
        this.propertyByEndpoint.put(resolvedEndpoint, property);
    }

    /** Records a proxy, whose sides bind when it starts. */
    void proxy(String path, ZmqProxy proxy) {
        this.proxies.put(path, proxy);
    }

    /** The bind property of this application that holds the tcp port of {@code endpoint}, other than {@code failed}. */
    Optional<String> holderOf(String endpoint, String failed) {
        int port = tcpPort(endpoint);
        if (port <= 0) {
            return Optional.empty();
        }
        Optional<String> holder = this.propertyByEndpoint.entrySet()
            .stream()
            .filter(entry -> tcpPort(entry.getKey()) == port && !entry.getValue().equals(failed))
            .map(Map.Entry::getValue)
            .findFirst();
        if (holder.isPresent()) {
            return holder;
        }
        for (Map.Entry<String, ZmqProxy> entry : this.proxies.entrySet()) {
            Optional<String> side = side(entry.getKey() + ".frontend.bind", entry.getValue(), ZmqProxy::frontendEndpoints, port, failed)
                .or(() -> side(entry.getKey() + ".backend.bind", entry.getValue(), ZmqProxy::backendEndpoints, port, failed))
                .or(() -> side(entry.getKey() + ".control.bind", entry.getValue(), ZmqProxy::controlEndpoints, port, failed));
            if (side.isPresent()) {
                return side;
            }
        }
        return Optional.empty();
    }

    /**
     * The failure report for a bind of {@code property} to {@code endpoint} that failed with {@code error}: names
     * the property of this application that holds the port when there is one.
     */
    InvalidZmqPropertyException bindFailed(String property, String endpoint, ZmqError error, String reason,
            Throwable cause) {
        Optional<String> holder = error == ZmqError.EADDRINUSE ? holderOf(endpoint, property) : Optional.empty();
        if (holder.isEmpty()) {
            return new InvalidZmqPropertyException(property, endpoint, reason, actionFor(error),
                    cause);
        }
        return new InvalidZmqPropertyException(property, endpoint,
                reason + "; the port is held by " + holder.get() + " of this application",
                "Give " + property + " or " + holder.get() + " another port (port 0 or '*' picks an ephemeral one): "
                        + "two binds of one application cannot share a port.",
                cause);
    }

    private static Optional<String> side(String list, ZmqProxy proxy, Function<ZmqProxy, List<String>> endpoints,
            int port, String failed) {
        List<String> bound = endpoints.apply(proxy);
        for (int i = 0; i < bound.size(); i++) {
            String property = list + "[" + i + "]";
            if (tcpPort(bound.get(i)) == port && !property.equals(failed)) {
                return Optional.of(property);
            }
        }
        return Optional.empty();
    }

    /** The port of a tcp endpoint, or -1 for any other endpoint or a wildcard port. */
    static int tcpPort(String endpoint) {
        if (endpoint == null || !endpoint.startsWith("tcp://")) {
            return -1;
        }
        String port = endpoint.substring(endpoint.lastIndexOf(':') + 1);
        try {
            return Integer.parseInt(port);
        }
        catch (NumberFormatException ex) {
            return -1;
        }
    }

    /** Binds every endpoint of a {@code bind} list, recording which property holds which port. */
    static void bindAll(String path, List<String> endpoints, Function<String, String> bind, ConfiguredBinds binds) {
        for (int i = 0; i < endpoints.size(); i++) {
            String property = path + "[" + i + "]";
            String endpoint = endpoints.get(i);
            try {
                binds.bound(property, bind.apply(endpoint));
            }
            catch (ZmqException ex) {
                throw binds.bindFailed(property, endpoint, ex.error(), ex.getMessage(), ex);
            }
        }
    }

    /** What to do about an endpoint that failed with {@code error}; for every socket, peer and proxy side. */
    static String actionFor(ZmqError error) {
        return switch (error) {
            case EADDRINUSE -> "Choose a free port (port 0 or '*' picks an ephemeral one) or stop the process "
                    + "that holds this one.";
            case EPROTONOSUPPORT -> "Use a transport the engine supports: tcp://, ipc://, inproc://, ws:// or wss://.";
            case ENOCOMPATPROTO -> "Use tcp://, ipc://, inproc://, ws:// or wss:// (udp:// is for RADIO and DISH"
                    + " only).";
            case EMTHREAD -> "Set zmq.context.io-threads to 1 or more: tcp and ipc need an I/O thread.";
            case ENAMETOOLONG -> "Use a shorter ipc path (at most 107 bytes), e.g. ipc:///run/myapp/socket.";
            case ENOENT -> "Create the ipc socket file's directory first, or use ipc://* for a fresh path.";
            case ENOTSUP -> "Use an ipc file path (ipc:///path), or ipc://*: Java has no abstract namespace.";
            case EADDRNOTAVAIL -> "Bind to an address of this machine, e.g. tcp://127.0.0.1:5555 or tcp://*:5555.";
            default -> "Use a valid endpoint, e.g. tcp://127.0.0.1:5555, ipc:///path/to/socket or inproc://name.";
        };
    }
}
