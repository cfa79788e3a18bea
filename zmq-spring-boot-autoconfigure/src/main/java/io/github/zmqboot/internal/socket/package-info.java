/**
 * General sockets: {@link io.github.zmqboot.core.ZmqSocket} beans of every type but PEER. Types the engine makes
 * thread-safe are called directly ({@link io.github.zmqboot.internal.socket.ThreadSafeZmqSocket}); every other type is called
 * on its caller's thread under a lock of the socket's own ({@link io.github.zmqboot.internal.socket.LockingZmqSocket}). Both
 * implement
 * {@link io.github.zmqboot.internal.engine.InboundSource} for listener containers.
 */
package io.github.zmqboot.internal.socket;
