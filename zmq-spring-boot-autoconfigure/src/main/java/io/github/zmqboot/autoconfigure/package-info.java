/**
 * Public API: the auto-configurations and their {@link ZmqProperties} ({@code zmq.*}), with the failure analysis
 * of bad configuration; everything else here is package-private.
 */
@NullMarked
package io.github.zmqboot.autoconfigure;

import org.jspecify.annotations.NullMarked;
