package io.github.zmqboot.internal.transport;

import java.nio.channels.SocketChannel;

import zmq.Options;
import zmq.io.IEngine;

/** Makes the engine that speaks a transport's protocol over one established connection. */
@FunctionalInterface
interface EngineFactory {

    IEngine create(SocketChannel channel, Options options, String endpoint, Connection connection);

    /**
     * Who made a connection, and what its engine tells them.
     *
     * @param connecting whether the connection was connected (true) or accepted by a listener (false)
     * @param guard the socket's {@link ConnectionGuard} (counts and logs what the engine drops as hostile)
     * @param onConnectionLost run by the engine when a connecting side's connection is lost and should be retried
     * (null: no reconnect, e.g. {@code reconnect-interval} -1, and always on the accepting side)
     * @param onClosed run once by the engine when it ends, however it ends (an accepted connection gives its place
     * under {@code max-connections} back); null for none
     */
    record Connection(boolean connecting, ConnectionGuard guard, Runnable onConnectionLost, Runnable onClosed) {
    }
}
