package io.github.zmqboot.listener.adapter;

import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;

/** Resolves a parameter of the receiving socket bean's type ({@code ZmqPeer}, {@code ZmqSocket}) to that bean. */
final class SocketArgumentResolver implements HandlerMethodArgumentResolver {

    private final Object socket;

    SocketArgumentResolver(Object socket) {
        this.socket = socket;
    }

    static boolean isSocketType(Class<?> type) {
        return type.getName().startsWith("io.github.zmqboot.core.Zmq") && (type.getSimpleName().equals("ZmqPeer")
                || type.getSimpleName().equals("ZmqSocket"));
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return isSocketType(parameter.getParameterType());
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, Message<?> message) {
        return this.socket;
    }
}
