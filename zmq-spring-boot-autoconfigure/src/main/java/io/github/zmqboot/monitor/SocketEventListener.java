package io.github.zmqboot.monitor;

/**
 * Receives the {@link SocketEvent}s of every socket the starter creates. Register one with
 * {@link SocketMonitor#addListener(SocketEventListener)}.
 * <p>
 * Called on the monitor's single thread, in the order the engine reported the events of each socket; a slow
 * listener delays the others (and, past the monitor's queue, events are lost and counted), never the engine.
 */
@FunctionalInterface
public interface SocketEventListener {

    /** Handles one event; an exception is logged and does not stop the monitor. */
    void onEvent(SocketEvent event);
}
