/**
 * Public API of the {@code @ZmqListener} containers: {@link ZmqListenerEndpointRegistry},
 * {@link ZmqListenerContainer}, {@link ZmqListenerContainerFactory}, {@link ZmqListenerErrorHandler},
 * {@link ZmqHeaders}, and the SPI a container calls for each message ({@link ListenerInvoker},
 * {@link ListenerInvokerFactory}).
 */
@NullMarked
package io.github.zmqboot.listener;

import org.jspecify.annotations.NullMarked;
