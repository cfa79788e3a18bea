package io.github.zmqboot.core;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A ZeroMQ {@code PEER} socket (libzmq's {@code ZMQ_PEER}): a bidirectional socket that addresses every
 * message to a connection by its routing id. One bean exists per {@code zmq.peers.<name>} entry.
 * <p>
 * Every method is thread-safe: any thread may connect, send, receive and disconnect at the same time.
 * {@link #connect(String)} is libzmq's {@code zmq_connect_peer}: it returns the routing id of exactly the
 * connection it created, atomically, even under concurrent calls. Failures throw {@link ZmqException} with
 * libzmq's error names.
 */
public interface ZmqPeer extends AutoCloseable {

    /** The bean name, the key under {@code zmq.peers}. */
    String name();

    /**
     * {@code zmq_connect_peer}: connects to {@code endpoint} and returns the new connection's routing id (never 0).
     * As in libzmq, a tcp host name is looked up when the connection is opened: a name that does not resolve yet
     * is no error; the connection is tried again every {@code reconnect-interval}, and messages sent to the routing
     * id wait in its queue until the name resolves.
     *
     * @throws ZmqException {@code EINVAL} malformed endpoint; {@code EPROTONOSUPPORT} unsupported transport
     *         ({@code ws}, {@code wss}, {@code pgm}, unknown); {@code ENOCOMPATPROTO} transport incompatible with
     *         PEER ({@code udp}); {@code ETERM} context terminated; {@code ENOTSOCK} this socket was closed;
     *         {@code EMTHREAD} no I/O thread; {@code EFAULT} the socket has {@code immediate=true}
     */
    int connect(String endpoint);

    /**
     * Binds to {@code endpoint} and returns the resolved endpoint ({@code tcp://127.0.0.1:*} or {@code :0}
     * resolve to the real port).
     */
    String bind(String endpoint);

    /** The resolved endpoints this socket is bound to. */
    List<String> boundEndpoints();

    /** Routing id to endpoint of every connection this socket made with {@link #connect(String)}. */
    Map<Integer, String> connections();

    /**
     * Closes the connection with this routing id.
     *
     * @throws ZmqException {@code EHOSTUNREACH} when no such connection exists
     */
    void disconnect(int routingId);

    /**
     * Sends one message to the peer with this routing id.
     *
     * @throws ZmqException {@code EHOSTUNREACH} unknown routing id; {@code EAGAIN} the send timeout expired
     */
    void send(int routingId, byte[] payload);

    /** Sends a UTF-8 string to the peer with this routing id (see {@link #send(int, byte[])}). */
    void send(int routingId, String payload);

    /**
     * Converts {@code payload} with the configured message converter ({@code byte[]} as is, {@code String} as
     * UTF-8, anything else as JSON by default) and sends it to the peer with this routing id.
     */
    void convertAndSend(int routingId, Object payload);

    /**
     * Receives the next message, waiting at most {@code timeout}.
     *
     * @return the message, or {@code null} when none arrived in time
     * @throws IllegalStateException when a {@code @ZmqListener} owns this socket's receiving side
     * @throws ZmqException {@code ENOTSOCK} after {@link #close()}, {@code ETERM} after the context closed
     */
    @Nullable Received receive(Duration timeout);

    /** Closes this socket; later bind, connect, disconnect, send or receive calls throw {@code ENOTSOCK}. */
    @Override
    void close();

    /**
     * One received message: the routing id of the connection it came from, and its payload.
     *
     * @param routingId the sender's routing id; send to it to reply
     * @param payload the message body
     */
    record Received(int routingId, byte[] payload) {
    }
}
