/**
 * Internal (not API, may change): {@link ZmqSockets} creates the socket beans. Types the engine makes thread-safe
 * are called directly ({@code ThreadSafeZmqSocket}); every other type is called on its caller's thread under a lock
 * of the socket's own ({@code LockingZmqSocket}); PEER sockets are {@code internal.peer.DefaultZmqPeer}s. All
 * implement {@link io.github.zmqboot.internal.engine.InboundSource} for listener containers.
 */
@NullMarked
package io.github.zmqboot.internal.socket;

import org.jspecify.annotations.NullMarked;
