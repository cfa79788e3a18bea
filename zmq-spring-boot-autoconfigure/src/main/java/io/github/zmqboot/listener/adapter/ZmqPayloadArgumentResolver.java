package io.github.zmqboot.listener.adapter;

import java.nio.charset.StandardCharsets;

import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.handler.annotation.support.PayloadMethodArgumentResolver;

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

    @Override
    protected boolean isEmptyPayload(Object payload) {
        return payload == null;
    }
}
