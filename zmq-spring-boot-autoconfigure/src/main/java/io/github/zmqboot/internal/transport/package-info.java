/**
 * Internal (not API, may change): the transports the starter adds to or replaces in JeroMQ (tcp connecter and
 * listener guards, ipc, ws and wss) and their engines.
 */
@NullMarked
package io.github.zmqboot.internal.transport;

import org.jspecify.annotations.NullMarked;
