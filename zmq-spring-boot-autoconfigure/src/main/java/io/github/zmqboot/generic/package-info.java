/**
 * General sockets: {@link io.github.zmqboot.core.ZmqSocket} beans of every type but PEER. Types the engine makes
 * thread-safe are called directly ({@link io.github.zmqboot.generic.ThreadSafeZmqSocket}); every other type is
 * confined to one {@link io.github.zmqboot.generic.SocketOwnerThread} for its whole life
 * ({@link io.github.zmqboot.generic.OwnedZmqSocket}), to which other threads hand their calls. Both implement
 * {@link io.github.zmqboot.socket.InboundSource} for listener containers.
 */
package io.github.zmqboot.generic;
