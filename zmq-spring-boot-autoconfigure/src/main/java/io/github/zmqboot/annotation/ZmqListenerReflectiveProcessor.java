package io.github.zmqboot.annotation;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.lang.reflect.Type;

import org.zeromq.ZMsg;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.aot.hint.annotation.ReflectiveProcessor;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Headers;

/**
 * The reflection a {@code @ZmqListener} method needs in a native image: the method itself is invoked, and its payload
 * parameter and return value are bound to and from JSON (their types, with what Jackson reaches from them). Spring's
 * AOT finds it through {@code @Reflective} on {@link ZmqListener}.
 */
final class ZmqListenerReflectiveProcessor implements ReflectiveProcessor {

    private final BindingReflectionHintsRegistrar bindingHints = new BindingReflectionHintsRegistrar();

    @Override
    public void registerReflectionHints(ReflectionHints hints, AnnotatedElement element) {
        if (!(element instanceof Method method)) {
            return;
        }
        hints.registerMethod(method, ExecutableMode.INVOKE);
        for (int i = 0; i < method.getParameterCount(); i++) {
            MethodParameter parameter = new MethodParameter(method, i);
            if (isPayload(parameter)) {
                Type payload = Message.class.isAssignableFrom(parameter.getParameterType())
                        ? ResolvableType.forMethodParameter(parameter).as(Message.class).getGeneric().getType()
                        : parameter.getGenericParameterType();
                registerBound(hints, payload);
            }
        }
        registerBound(hints, method.getGenericReturnType());
    }

    private void registerBound(ReflectionHints hints, Type type) {
        if (type instanceof Class<?> plain && (plain == void.class || plain == Void.class || plain == String.class
                || plain == byte[].class || plain == Object.class || plain.isPrimitive())) {
            return;
        }
        this.bindingHints.registerReflectionHints(hints, type);
    }

    /** A parameter whose value is converted from the message's payload (what {@link ListenerParameters} counts). */
    private static boolean isPayload(MethodParameter parameter) {
        Class<?> type = parameter.getParameterType();
        return !(parameter.hasParameterAnnotation(RoutingId.class) || parameter.hasParameterAnnotation(Header.class)
                || parameter.hasParameterAnnotation(Headers.class) || type == MessageHeaders.class
                || type == ZMsg.class || type.getName().startsWith("io.github.zmqboot.core."));
    }
}
