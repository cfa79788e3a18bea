package io.github.zmqboot.internal.engine;

/**
 * A socket bean of the starter (every {@code ZmqPeer} and {@code ZmqSocket} it makes) as the layers above the socket
 * kinds see it: the engine socket it runs on and its traffic counts, for the actuator's inventory and metrics.
 */
public interface SocketBean {

    /** The engine socket the bean runs on now (a REQ or DEALER bean replaces it after a timed-out exchange). */
    ManagedSocket managedSocket();

    /** The bean's message and byte counts (kept across a replacement of its engine socket). */
    SocketTraffic traffic();
}
