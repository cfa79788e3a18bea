package io.github.zmqboot.internal.transport;

import java.nio.channels.ServerSocketChannel;

/** A bound server channel: the endpoint it resolved to, the engines of its connections, what to do at close. */
record BoundServer(String endpoint, ServerSocketChannel server, EngineFactory engines, Runnable cleanup) {
}
