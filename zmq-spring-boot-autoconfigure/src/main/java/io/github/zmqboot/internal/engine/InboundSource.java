package io.github.zmqboot.internal.engine;

import java.util.List;

import org.zeromq.SocketType;

/**
 * The receiving side of a socket bean, as a listener container uses it. Implemented by every socket bean
 * ({@code ZmqPeer}, {@code ZmqSocket}); the container never touches the engine socket itself.
 * <p>
 * A source is {@linkplain #claim(Object) claimed} once, when the container is created, and stays claimed until the
 * socket closes: from then on the bean's own {@code receive} throws {@link IllegalStateException}. The container
 * then starts and stops delivery as often as it is started and stopped; while stopped, messages queue in the socket
 * (up to its receive HWM).
 */
public interface InboundSource extends SocketBean {

    /** The socket's bean name. */
    String name();

    /** The socket type. */
    SocketType type();

    /** The topics a SUB socket subscribed to (empty for other types), to name the topic of a one-frame message. */
    default List<String> subscriptions() {
        return List.of();
    }

    /**
     * Reserves the receiving side for {@code owner} for the socket's life.
     *
     * @throws IllegalStateException when another owner claimed it already
     */
    void claim(Object owner);

    /**
     * Starts calling {@code reader} with every message, on a reading thread the socket starts for it. Returns at once.
     *
     * @throws IllegalStateException when not claimed by the caller's owner, or already reading
     */
    void startReading(InboundReader reader);

    /**
     * Stops delivery: when this returns, {@code reader} is running for no message and will not be called again
     * until the next {@link #startReading(InboundReader)}. Messages not yet taken off the socket stay queued there.
     */
    void stopReading();

    /**
     * Whether delivery is going on: reading was started and not stopped, and the socket and its reading thread are
     * still alive. False after the socket closed under a running reader (a dead listener, in health terms).
     */
    boolean isReading();

    /**
     * Sends the frames of a reply, from any thread (on the reading thread it is sent at once).
     *
     * @param routingId the routing id to address (PEER, SERVER); ignored by other types
     * @param frames the frames to send, envelope included where the socket type needs one
     * @throws io.github.zmqboot.core.ZmqException when the engine refuses the send
     */
    void reply(int routingId, byte[][] frames);
}
