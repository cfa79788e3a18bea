package io.github.zmqboot.observation;

import io.micrometer.common.KeyValues;

/** The context of a {@code zmq.listener} observation: one call of a {@code @ZmqListener} method. */
public class ZmqListenerObservationContext extends ZmqObservationContext {

    private final String listenerId;

    /**
     * @param listenerId the listener's id
     * @param socket the bean name of the socket it listens to
     */
    public ZmqListenerObservationContext(String listenerId, String socket) {
        this(listenerId, socket, keyValueSets(listenerId, socket));
    }

    ZmqListenerObservationContext(String listenerId, String socket, KeyValueSets keyValues) {
        super(socket, keyValues);
        this.listenerId = listenerId;
    }

    /** The listener's id. */
    public String getListenerId() {
        return this.listenerId;
    }

    /** What the default convention answers for this listener: build once, share between calls. */
    static KeyValueSets keyValueSets(String listenerId, String socket) {
        return KeyValueSets.of(socket, KeyValues.of(SOCKET_KEY, socket, LISTENER_ID_KEY, listenerId),
                socket + " receive");
    }
}
