package io.github.zmqboot.core;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.zeromq.SocketType;
import org.zeromq.ZMsg;

/**
 * A ZeroMQ socket of any type but {@code PEER} (PEERs are {@link ZmqPeer}s). One bean exists per
 * {@code zmq.sockets.<name>} entry; the socket factory makes more.
 * <p>
 * Every method may be called from any thread, and runs on the caller's thread. A type the engine makes thread-safe
 * (SERVER, CLIENT, RADIO, DISH, SCATTER, GATHER, CHANNEL) is called directly; every other type is made safe by a lock
 * of the socket's own, with waits (for queue space, a message) outside it. Each calling thread's sends keep their
 * order. Either way failures throw
 * {@link ZmqException} with libzmq's error names ({@code EAGAIN} when the send timeout expired,
 * {@code EHOSTUNREACH} for a ROUTER with {@code router-mandatory} and an unknown identity, {@code ENOTSOCK} after
 * {@link #close()}, {@code ETERM} after the context closed, ...).
 * <p>
 * Sent arrays are not copied: never modify an array after passing it to a send.
 */
public interface ZmqSocket extends AutoCloseable {

    /** The bean name, the key under {@code zmq.sockets}. */
    String name();

    /** The socket type. */
    SocketType type();

    /**
     * Binds to {@code endpoint}.
     *
     * @return the resolved endpoint ({@code tcp://127.0.0.1:*} or {@code :0} resolve to the real port)
     * @throws ZmqException {@code EINVAL} malformed endpoint, {@code EPROTONOSUPPORT} unsupported transport,
     *         {@code ENOCOMPATPROTO} transport incompatible with the type, {@code EADDRINUSE} address taken
     */
    String bind(String endpoint);

    /**
     * Connects to {@code endpoint}. As in libzmq the connection is made in the background: a message sent right
     * after this returns is queued until the connection is up. A tcp host name is looked up on each connection
     * attempt, so a name that does not resolve yet is no error (libzmq's rule).
     *
     * @throws ZmqException {@code EINVAL}, {@code EPROTONOSUPPORT}, {@code ENOCOMPATPROTO} as for {@link #bind}
     */
    void connect(String endpoint);

    /** The resolved endpoints this socket is bound to. */
    List<String> boundEndpoints();

    /**
     * Sends one single-frame message, waiting at most the socket's {@code send-timeout} while the message cannot
     * be queued (the HWM is reached, or a PUSH, DEALER or REQ has no peer yet).
     *
     * @throws ZmqException {@code EAGAIN} the send timeout expired; {@code EFSM} the type's state forbids a send
     *         now (e.g. a REQ awaiting its reply); {@code ENOTSUP} the type cannot send (PULL, SUB, DISH, GATHER)
     */
    void send(byte[] payload);

    /** Sends a UTF-8 string as one frame (see {@link #send(byte[])}). */
    void send(String payload);

    /**
     * Sends every frame of {@code message} as one multipart message, e.g. a ROUTER's identity envelope and its
     * payload. For RADIO a two-frame message is {@code [group, payload]} (a single frame may carry its group
     * itself); the other thread-safe types send exactly one frame.
     *
     * @throws ZmqException as for {@link #send(byte[])}; {@code EINVAL} an empty message, or several frames on a
     *         type that allows one
     */
    void send(ZMsg message);

    /**
     * Sends {@code payload} converted like a listener's return value: {@code byte[]} as it is, {@code String} as
     * UTF-8, a {@link ZMsg} as its frames, anything else through the message converter (JSON by default).
     */
    void convertAndSend(Object payload);

    /**
     * Subscribes a SUB socket to messages whose first frame starts with {@code topic} ({@code ""}: all).
     *
     * @throws ZmqException {@code EINVAL} when this is not a SUB socket
     */
    void subscribe(String topic);

    /**
     * Removes a subscription made with {@link #subscribe(String)}.
     *
     * @throws ZmqException {@code EINVAL} when this is not a SUB socket
     */
    void unsubscribe(String topic);

    /**
     * Joins a DISH socket to {@code group} (libzmq's {@code zmq_join}).
     *
     * @throws ZmqException {@code ENOTSUP} when this is not a DISH socket; {@code EINVAL} an invalid group
     */
    void join(String group);

    /**
     * Leaves a group joined with {@link #join(String)} (libzmq's {@code zmq_leave}).
     *
     * @throws ZmqException {@code ENOTSUP} when this is not a DISH socket; {@code EINVAL} not joined
     */
    void leave(String group);

    /**
     * Receives the next message with all of its frames, waiting at most {@code timeout}.
     *
     * @return the message, or {@code null} when none arrived in time
     * @throws IllegalStateException while a {@code @ZmqListener} owns this socket's receiving side
     * @throws ZmqException {@code ENOTSUP} the type cannot receive (PUSH, PUB, RADIO, SCATTER); {@code ENOTSOCK}
     *         after {@link #close()}; {@code ETERM} after the context closed
     */
    @Nullable ZMsg receive(Duration timeout);

    /**
     * Sends {@code request} (converted as by {@link #convertAndSend(Object)}) and waits at most {@code timeout} for
     * the reply, converted to {@code replyType} ({@code byte[]}, {@code String}, {@link ZMsg} for every payload
     * frame, anything else from JSON); for REQ, DEALER and CLIENT sockets. A DEALER sends an empty delimiter frame
     * before the payload and strips the envelope from the reply, as a REQ does, so both can talk to REP workers.
     * Exchanges on one socket run one at a time, in call order.
     * <p>
     * After a timeout the socket stays usable: a REQ or DEALER socket is replaced by a fresh one with the same
     * options and endpoints (the "lazy pirate" way), so a late reply to the abandoned request is never taken for
     * the reply of a later one. A CLIENT socket is kept: a late reply stays queued for the next receive.
     *
     * @return the reply, or {@code null} when none arrived in time
     * @throws ZmqException {@code ENOTSUP} for any other socket type; {@code EAGAIN} the request could not be sent
     *         within the send timeout
     * @throws IllegalStateException while a {@code @ZmqListener} owns this socket's receiving side
     */
    <T> @Nullable T convertSendAndReceive(Object request, Class<T> replyType, Duration timeout);

    /**
     * {@code zmq_connect_peer}, for libzmq parity: only PEER sockets have it.
     *
     * @throws ZmqException always {@code ENOTSUP}; use a {@link ZmqPeer} ({@code zmq.peers}) instead
     */
    int connectPeer(String endpoint);

    /**
     * Closes this socket; idempotent. Calls blocked in it end with {@code ENOTSOCK}, and so does every later call
     * ({@code ETERM} instead once the context closed).
     */
    @Override
    void close();
}
