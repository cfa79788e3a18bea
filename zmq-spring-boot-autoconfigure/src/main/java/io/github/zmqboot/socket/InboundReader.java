package io.github.zmqboot.socket;

/** Receives every message an {@link InboundSource} takes off its socket, on the source's reading thread. */
@FunctionalInterface
public interface InboundReader {

    /**
     * Handles one message. Exceptions thrown here are logged by the source and never stop its reading.
     *
     * @param message the message, as the engine delivered it
     */
    void onMessage(InboundMessage message);
}
