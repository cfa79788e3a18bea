package io.github.zmqboot.test;

import java.util.List;

import io.github.zmqboot.core.ZmqPeer;
import io.github.zmqboot.core.ZmqProxy;
import io.github.zmqboot.core.ZmqSocket;

import org.springframework.context.ApplicationContext;

/**
 * Where a socket bean can be reached: its first bound endpoint as resolved by the engine (an ephemeral port as the
 * port it got), with a wildcard host made loopback.
 */
final class BeanEndpoints {

    private BeanEndpoints() {
    }

    /**
     * @param name a peer or socket bean name, a proxy name (its frontend) or {@code <proxy>.frontend},
     *        {@code <proxy>.backend}, {@code <proxy>.control}
     */
    static String resolve(ApplicationContext application, String name) {
        List<String> endpoints = bound(application, name);
        if (endpoints.isEmpty()) {
            throw new IllegalStateException("'" + name + "' has bound no endpoint (yet): connect to it by the "
                    + "address it connects to, or give it a bind endpoint");
        }
        return connectable(endpoints.get(0));
    }

    private static List<String> bound(ApplicationContext application, String name) {
        if (application.containsBean(name)) {
            Object bean = application.getBean(name);
            if (bean instanceof ZmqPeer peer) {
                return peer.boundEndpoints();
            }
            if (bean instanceof ZmqSocket socket) {
                return socket.boundEndpoints();
            }
            if (bean instanceof ZmqProxy proxy) {
                return proxy.frontendEndpoints();
            }
            throw new IllegalArgumentException("The bean '" + name + "' is no ZeroMQ socket, peer or proxy");
        }
        int dot = name.lastIndexOf('.');
        if (dot > 0 && application.containsBean(name.substring(0, dot))
                && application.getBean(name.substring(0, dot)) instanceof ZmqProxy proxy) {
            return switch (name.substring(dot + 1)) {
                case "frontend" -> proxy.frontendEndpoints();
                case "backend" -> proxy.backendEndpoints();
                case "control" -> proxy.controlEndpoints();
                default -> throw new IllegalArgumentException("A proxy side is frontend, backend or control, not '"
                        + name.substring(dot + 1) + "'");
            };
        }
        throw new IllegalArgumentException("No ZeroMQ bean named '" + name + "'");
    }

    /** A bound endpoint a client on this machine can connect to ({@code tcp://0.0.0.0:P} → {@code 127.0.0.1}). */
    static String connectable(String endpoint) {
        return endpoint.replaceFirst("^tcp://(0\\.0\\.0\\.0|\\*):", "tcp://127.0.0.1:")
            .replaceFirst("^tcp://\\[::\\]:", "tcp://[::1]:");
    }
}
