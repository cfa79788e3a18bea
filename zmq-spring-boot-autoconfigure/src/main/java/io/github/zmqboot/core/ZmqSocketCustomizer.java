package io.github.zmqboot.core;

import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/**
 * Callback to customise every socket the starter creates (peers, sockets, proxy sides), after the configured
 * options are applied and before the socket binds or connects. Beans of this type are applied in order.
 */
@FunctionalInterface
public interface ZmqSocketCustomizer {

    /**
     * Customises one socket.
     *
     * @param name the socket's name (bean name, or {@code <proxy>.<side>} for proxy sides)
     * @param type the socket type
     * @param socket the engine socket, not yet bound or connected
     */
    void customize(String name, SocketType type, ZMQ.Socket socket);
}
