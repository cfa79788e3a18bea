package io.github.zmqboot.transport;

import java.nio.channels.SocketChannel;

import zmq.Options;
import zmq.io.IEngine;

/** Makes the engine that speaks a transport's protocol over one established connection. */
@FunctionalInterface
interface EngineFactory {

    /**
     * @param onConnectionLost run by the engine when a connection of a connecting side is lost (null on the
     * accepting side, which does not reconnect)
     */
    IEngine create(SocketChannel channel, Options options, String endpoint, Runnable onConnectionLost);
}
