package io.github.zmqboot.listener.adapter;

import io.github.zmqboot.annotation.RoutingId;

import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;

/** Resolves {@link RoutingId @RoutingId} parameters to the sender's routing id. */
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
