/**
 * Actuator support (public because the auto-configuration creates it): the {@code zmq} endpoint and health
 * indicator, the metrics binder, and the inventory of sockets, proxies and listeners they share.
 */
@NullMarked
package io.github.zmqboot.actuate;

import org.jspecify.annotations.NullMarked;
