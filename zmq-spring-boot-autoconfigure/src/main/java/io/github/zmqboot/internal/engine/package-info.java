/**
 * Internal (not API, may change): the engine adapter over JeroMQ. {@link ZmqSocketFactory} creates and configures
 * every engine socket as a {@link ManagedSocket} (options, CURVE, frame guard, monitor); reading loops, endpoints and
 * the interfaces the higher layers implement ({@link InboundSource}, {@link SocketBean}, {@link ZapDomains}).
 */
@NullMarked
package io.github.zmqboot.internal.engine;

import org.jspecify.annotations.NullMarked;
