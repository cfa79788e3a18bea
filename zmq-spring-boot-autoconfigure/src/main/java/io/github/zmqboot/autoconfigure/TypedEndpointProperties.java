package io.github.zmqboot.autoconfigure;

import org.zeromq.SocketType;

/**
 * A socket of the configuration whose type is configured too: a proxy's frontend, backend and capture (and, with
 * its commands, {@link ProxyProperties.Control}), and every {@code zmq.sockets.<name>} (with its subscriptions,
 * {@link SocketBeanProperties}). A peer has no type: it is always PEER.
 */
public class TypedEndpointProperties extends EndpointProperties {

    /**
     * The socket type. zmq.sockets: required, any JeroMQ SocketType but PEER. A proxy side: overrides the type the
     * proxy's preset gives it (capture: PUB, DEALER, PUSH or PAIR; control: REP or PAIR).
     */
    private SocketType type;

    public SocketType getType() {
        return this.type;
    }

    public void setType(SocketType type) {
        this.type = type;
    }
}
