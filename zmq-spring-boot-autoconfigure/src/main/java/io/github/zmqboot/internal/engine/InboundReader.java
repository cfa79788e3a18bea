package io.github.zmqboot.internal.engine;

import io.github.zmqboot.core.ZmqThreadFactory;

/** Receives every message an {@link InboundSource} takes off its socket, on the source's reading thread. */
@FunctionalInterface
public interface InboundReader {

    /**
     * Told that a message was just taken off the socket, before it is passed to {@link #onMessage(InboundMessage)}
     * or {@link #onFrame(int, byte[])}; always on the source's reading thread. Exceptions thrown here are logged by
     * the source and never stop its reading.
     */
    default void taken() {
    }

    /**
     * Handles one message. Exceptions thrown here are logged by the source and never stop its reading.
     *
     * @param message the message, as the engine delivered it
     */
    void onMessage(InboundMessage message);

    /**
     * Handles one single-frame message of a socket the engine makes thread-safe (PEER, SERVER, CLIENT, DISH, ...):
     * the frame and the sender's routing id without a message object around them, for readers that care about the
     * allocation. By default, {@link #onMessage(InboundMessage)} with that message.
     *
     * @param routingId the sender's routing id (PEER, SERVER), else 0
     * @param frame the message's one frame, the engine's own buffer: never modify it
     */
    default void onFrame(int routingId, byte[] frame) {
        onMessage(new InboundMessage(routingId, new byte[][] { frame }));
    }

    /**
     * Makes the source's reading thread (unstarted; the source starts it): the thread that calls this reader. By
     * default a {@link ZmqThreadFactory#platform() platform} thread; a listener container asks the application's
     * {@link ZmqThreadFactory}.
     *
     * @param name the thread's name, {@code zmq-<socket>-reader}
     * @param loop what the thread runs
     */
    default Thread newReadingThread(String name, Runnable loop) {
        return ZmqThreadFactory.platform().newThread(ZmqThreadFactory.Role.READER, name, loop);
    }
}
