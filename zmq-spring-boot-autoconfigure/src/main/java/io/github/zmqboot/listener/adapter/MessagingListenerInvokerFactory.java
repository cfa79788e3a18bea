package io.github.zmqboot.listener.adapter;

import java.lang.reflect.Method;
import java.util.List;

import io.github.zmqboot.convert.ZmqPayloadConverter;
import io.github.zmqboot.internal.engine.InboundSource;
import io.github.zmqboot.listener.ListenerInvoker;
import io.github.zmqboot.listener.ListenerInvokerFactory;
import io.github.zmqboot.listener.ZmqListenerErrorHandler;
import io.github.zmqboot.observation.ZmqObserver;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;

/**
 * The starter's {@link ListenerInvokerFactory}: listener methods called through Spring Messaging's handler-method
 * infrastructure, with the application's payload converter.
 */
public final class MessagingListenerInvokerFactory implements ListenerInvokerFactory {

    private final ZmqPayloadConverter payloadConverter;

    private final ConfigurableBeanFactory beanFactory;

    private final List<HandlerMethodArgumentResolver> leadingResolvers;

    /**
     * @param payloadConverter converts payloads both ways (its Spring converter handles non-byte, non-string types)
     * @param beanFactory for {@code ${…}} in {@code @Header} defaults
     * @param leadingResolvers argument resolvers asked before the adapter's own (the annotation layer contributes
     * {@code @RoutingId}'s)
     */
    public MessagingListenerInvokerFactory(ZmqPayloadConverter payloadConverter, ConfigurableBeanFactory beanFactory,
            List<HandlerMethodArgumentResolver> leadingResolvers) {
        this.payloadConverter = payloadConverter;
        this.beanFactory = beanFactory;
        this.leadingResolvers = List.copyOf(leadingResolvers);
    }

    @Override
    public ListenerInvoker<?> create(String listenerId, Object bean, Method method, InboundSource source,
            Object socketBean, @Nullable ZmqListenerErrorHandler errorHandler, @Nullable ZmqObserver observer) {
        return new MessagingListenerInvoker(listenerId, bean, method, source, socketBean, this.payloadConverter,
                errorHandler, observer, this.beanFactory, this.leadingResolvers);
    }
}
