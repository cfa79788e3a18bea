package io.github.zmqboot.listener.adapter;

import java.lang.annotation.Annotation;

import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;

/**
 * Resolves parameters carrying the routing-id annotation (the annotation layer's {@code @RoutingId}, handed in by
 * whoever configures the adapter) to the sender's routing id.
 */
final class RoutingIdArgumentResolver implements HandlerMethodArgumentResolver {

    private final Class<? extends Annotation> annotation;

    RoutingIdArgumentResolver(Class<? extends Annotation> annotation) {
        this.annotation = annotation;
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.hasParameterAnnotation(this.annotation);
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, Message<?> message) {
        return ((ReceivedMessage) message).routingId();
    }
}
