package io.github.zmqboot.socket;

/** Receives every message an {@link InboundSource} takes off its socket, on the source's reading thread. */
@FunctionalInterface
public interface InboundReader {

    /**
     * Told that {@code count} messages were just taken off the socket, before they are passed to
     * {@link #onMessage(InboundMessage)} one by one (a reading thread takes what is queued in one go). Exceptions
     * thrown here are logged by the source and never stop its reading.
     */
    default void taken(int count) {
    }

    /**
     * Handles one message. Exceptions thrown here are logged by the source and never stop its reading.
     *
     * @param message the message, as the engine delivered it
     */
    void onMessage(InboundMessage message);
}
