package io.github.zmqboot.listener;

import java.lang.reflect.Method;

import io.github.zmqboot.internal.engine.InboundSource;
import io.github.zmqboot.observation.ZmqObserver;
import org.jspecify.annotations.Nullable;

/**
 * Creates the {@link ListenerInvoker} of one listener method (an SPI of {@link ZmqListenerContainerFactory}; the
 * starter's implementation is {@code listener.adapter.MessagingListenerInvokerFactory}).
 */
@FunctionalInterface
public interface ListenerInvokerFactory {

    /**
     * @param listenerId the listener's id, for logs
     * @param bean the bean whose method is called
     * @param method the method to call (invocable on {@code bean}, proxies resolved)
     * @param source the receiving socket (replies go through it)
     * @param socketBean the socket bean, for {@code ZmqPeer}/{@code ZmqSocket} parameters
     * @param errorHandler the named error handler, or {@code null} for the default (log and count)
     * @param observer observes each call, or {@code null}
     */
    ListenerInvoker<?> create(String listenerId, Object bean, Method method, InboundSource source, Object socketBean,
            @Nullable ZmqListenerErrorHandler errorHandler, @Nullable ZmqObserver observer);
}
