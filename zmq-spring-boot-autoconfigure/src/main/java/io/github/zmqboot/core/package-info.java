/**
 * The public API of the starter (programmed against by applications): the socket beans ({@link ZmqPeer},
 * {@link ZmqSocket}), proxies ({@link ZmqProxy}, {@link ProxyStatistics}), errors ({@link ZmqException},
 * {@link ZmqError}), the customizers of the context and of every socket, and socket and steering events.
 */
@NullMarked
package io.github.zmqboot.core;

import org.jspecify.annotations.NullMarked;
