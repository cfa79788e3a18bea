package io.github.zmqboot.internal.engine;

/**
 * One message taken off a socket: all of its frames (envelope included, as the engine delivered them) and, for
 * PEER and SERVER sockets, the routing id of the connection it came from (0 for other types). The arrays are the
 * engine's own buffers: never modify them.
 *
 * @param routingId the sender's routing id (PEER, SERVER), else 0
 * @param frames every frame of the message, in order
 */
public record InboundMessage(int routingId, byte[][] frames) {
}
