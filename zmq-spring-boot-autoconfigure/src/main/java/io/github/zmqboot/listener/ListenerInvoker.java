package io.github.zmqboot.listener;

import io.github.zmqboot.internal.engine.InboundMessage;
import org.jspecify.annotations.Nullable;

/**
 * The handler side of a {@link ZmqListenerContainer} (an SPI; the starter's implementation, on Spring Messaging's
 * handler methods, is in {@code listener.adapter}): turns what the socket delivered into the handler's message, calls
 * the handler, and sends the reply the socket type calls for. The container counts each outcome between
 * {@link #invoke} and {@link #reply}, so a sender that got a reply can rely on the count.
 *
 * @param <M> the handler's message: made on the socket's reading thread, handled on a handler thread
 */
public interface ListenerInvoker<M> {

    /** The handler's message for a message of any socket type, split by that type's rules (envelope, topic). */
    M message(InboundMessage message);

    /** The handler's message for the one frame of a single-frame socket type (PEER, SERVER, ...). */
    M frame(int routingId, byte[] frame);

    /** Which sender {@code message} came from, as a lane key: messages of one sender are handled in order. */
    int senderKey(M message);

    /** Calls the handler (and on failure the error handler); sends nothing. */
    Outcome invoke(M message);

    /** Sends the reply {@code outcome} calls for, if any. */
    void reply(M message, Outcome outcome);

    /**
     * What handling one message came to.
     *
     * @param succeeded whether the handler returned normally
     * @param reply the handler's (or the error handler's) return value, or {@code null}
     */
    record Outcome(boolean succeeded, @Nullable Object reply) {

        /** The outcome of most calls (a handler that returns nothing), shared: no allocation per message. */
        public static final Outcome HANDLED_WITHOUT_REPLY = new Outcome(true, null);
    }
}
