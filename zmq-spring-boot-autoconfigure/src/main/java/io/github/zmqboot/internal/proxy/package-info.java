/**
 * Internal (not API, may change): {@link DefaultZmqProxy}, the {@code ZmqProxy} beans (libzmq's
 * {@code zmq_proxy_steerable}), with their sockets, loop, control and capture.
 */
@NullMarked
package io.github.zmqboot.internal.proxy;

import org.jspecify.annotations.NullMarked;
