package io.github.zmqboot.listener;

/** Names of the message headers a listener container sets, for {@code @Header} parameters and error handlers. */
public final class ZmqHeaders {

    /** The sender's routing id ({@code Integer}; PEER and SERVER sockets). */
    public static final String ROUTING_ID = "zmq_routingId";

    /** The sender's identity frame ({@code byte[]}; ROUTER sockets). */
    public static final String IDENTITY = "zmq_identity";

    /** The topic ({@code String}; SUB sockets): the first frame, or the subscription a single frame matched. */
    public static final String TOPIC = "zmq_topic";

    /** The name of the receiving socket ({@code String}). */
    public static final String SOCKET = "zmq_socket";

    private ZmqHeaders() {
    }
}
