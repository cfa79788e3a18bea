package io.github.zmqboot.listener.adapter;

import java.nio.charset.StandardCharsets;

import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.handler.annotation.support.PayloadMethodArgumentResolver;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;

/**
 * Spring's payload resolver with ZeroMQ adjustments: an empty frame is a valid payload (ZeroMQ peers send empty
 * messages; Spring would reject them), a {@code byte[]} parameter gets the frame as it is, and a {@code String}
 * parameter is decoded as UTF-8, both without a converter round (Spring's resolver would return the same values after
 * looking for {@code @Payload}, a validator and a converter).
 */
final class ZmqPayloadArgumentResolver extends PayloadMethodArgumentResolver {

    ZmqPayloadArgumentResolver(MessageConverter converter) {
        super(converter, null, true);
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, Message<?> message) throws Exception {
        Class<?> type = parameter.getParameterType();
        if (message.getPayload() instanceof byte[] bytes && !parameter.hasParameterAnnotations()) {
            if (type == byte[].class) {
                return bytes;
            }
            if (type == String.class) {
                return new String(bytes, StandardCharsets.UTF_8);
            }
        }
        return super.resolveArgument(parameter, message);
    }

    /**
     * The resolver to use for {@code parameter} (one this resolver supports): for a plain {@code byte[]} or
     * {@code String} parameter one that decides what to do once, here, instead of per message.
     */
    HandlerMethodArgumentResolver boundTo(MethodParameter parameter) {
        if (parameter.hasParameterAnnotations()) {
            return this;
        }
        if (parameter.getParameterType() == byte[].class) {
            return new PlainPayload(this, false);
        }
        if (parameter.getParameterType() == String.class) {
            return new PlainPayload(this, true);
        }
        return this;
    }

    @Override
    protected boolean isEmptyPayload(Object payload) {
        return payload == null;
    }

    /** A plain {@code byte[]} or {@code String} parameter's resolver; other payloads go to Spring's resolver. */
    private record PlainPayload(ZmqPayloadArgumentResolver general, boolean decoded)
            implements HandlerMethodArgumentResolver {

        @Override
        public boolean supportsParameter(MethodParameter parameter) {
            return this.general.supportsParameter(parameter);
        }

        @Override
        public Object resolveArgument(MethodParameter parameter, Message<?> message) throws Exception {
            if (message.getPayload() instanceof byte[] bytes) {
                return this.decoded ? new String(bytes, StandardCharsets.UTF_8) : bytes;
            }
            return this.general.resolveArgument(parameter, message);
        }
    }
}
