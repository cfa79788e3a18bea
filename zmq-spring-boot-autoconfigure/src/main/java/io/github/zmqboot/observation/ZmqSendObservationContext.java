package io.github.zmqboot.observation;

import io.micrometer.common.KeyValues;

/** The context of a {@code zmq.send} observation: one send through a socket or peer bean. */
public class ZmqSendObservationContext extends ZmqObservationContext {

    /** @param socket the socket's bean name */
    public ZmqSendObservationContext(String socket) {
        this(socket, keyValueSets(socket));
    }

    ZmqSendObservationContext(String socket, KeyValueSets keyValues) {
        super(socket, keyValues);
    }

    /** What the default convention answers for this socket: build once, share between sends. */
    static KeyValueSets keyValueSets(String socket) {
        return KeyValueSets.of(socket, KeyValues.of(SOCKET_KEY, socket), socket + " send");
    }
}
