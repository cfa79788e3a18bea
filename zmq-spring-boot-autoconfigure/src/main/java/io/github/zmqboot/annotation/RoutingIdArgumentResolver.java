package io.github.zmqboot.annotation;

import io.github.zmqboot.listener.adapter.ReceivedMessage;

import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;

/**
 * Resolves {@link RoutingId @RoutingId} parameters to the sender's routing id (the annotation layer's contribution to
 * the listener adapter's argument resolvers).
 */
final class RoutingIdArgumentResolver implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.hasParameterAnnotation(RoutingId.class);
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, Message<?> message) {
        return ((ReceivedMessage) message).routingId();
    }
}
