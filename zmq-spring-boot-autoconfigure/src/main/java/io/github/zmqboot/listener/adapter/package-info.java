/**
 * The starter's implementation of the listener SPI on Spring Messaging's handler methods (argument resolvers,
 * conversion, replies). Not API except {@link MessagingListenerInvokerFactory}, which the auto-configuration wires.
 */
@NullMarked
package io.github.zmqboot.listener.adapter;

import org.jspecify.annotations.NullMarked;
