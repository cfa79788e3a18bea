/**
 * Internal (not API, may change): {@link DefaultZmqPeer}, the {@code ZmqPeer} bean over a PEER engine socket.
 */
@NullMarked
package io.github.zmqboot.internal.peer;

import org.jspecify.annotations.NullMarked;
