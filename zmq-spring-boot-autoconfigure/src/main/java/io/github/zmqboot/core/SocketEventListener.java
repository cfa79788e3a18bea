package io.github.zmqboot.core;

/**
 * Receives the {@link SocketEvent}s of every socket the starter creates. Declare one as a bean: the starter registers
 * every bean of this type with its socket monitor.
 * <p>
 * Called on the monitor's single thread, in the order the engine reported the events of each socket; a slow
 * listener delays the others (and, past the monitor's queue, events are lost and counted), never the engine.
 */
@FunctionalInterface
public interface SocketEventListener {

    /** Handles one event; an exception is logged and does not stop the monitor. */
    void onEvent(SocketEvent event);
}
