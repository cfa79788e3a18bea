package io.github.zmqboot.listener.adapter;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;

import io.github.zmqboot.convert.ZmqPayloadConverter;
import io.github.zmqboot.internal.engine.InboundSource;
import io.github.zmqboot.listener.ListenerInvoker;
import io.github.zmqboot.listener.ListenerInvokerFactory;
import io.github.zmqboot.listener.ZmqListenerErrorHandler;
import io.github.zmqboot.observation.ZmqObserver;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.ConfigurableBeanFactory;

/**
 * The starter's {@link ListenerInvokerFactory}: listener methods called through Spring Messaging's handler-method
 * infrastructure, with the application's payload converter.
 */
public final class MessagingListenerInvokerFactory implements ListenerInvokerFactory {

    private final ZmqPayloadConverter payloadConverter;

    private final ConfigurableBeanFactory beanFactory;

    private final Class<? extends Annotation> routingIdAnnotation;

    /**
     * @param payloadConverter converts payloads both ways (its Spring converter handles non-byte, non-string types)
     * @param beanFactory for {@code ${…}} in {@code @Header} defaults
     * @param routingIdAnnotation the parameter annotation that asks for the sender's routing id (the annotation
     * layer's {@code @RoutingId})
     */
    public MessagingListenerInvokerFactory(ZmqPayloadConverter payloadConverter, ConfigurableBeanFactory beanFactory,
            Class<? extends Annotation> routingIdAnnotation) {
        this.payloadConverter = payloadConverter;
        this.beanFactory = beanFactory;
        this.routingIdAnnotation = routingIdAnnotation;
    }

    @Override
    public ListenerInvoker<?> create(String listenerId, Object bean, Method method, InboundSource source,
            Object socketBean, @Nullable ZmqListenerErrorHandler errorHandler, @Nullable ZmqObserver observer) {
        return new MessagingListenerInvoker(listenerId, bean, method, source, socketBean, this.payloadConverter,
                errorHandler, observer, this.beanFactory, this.routingIdAnnotation);
    }
}
