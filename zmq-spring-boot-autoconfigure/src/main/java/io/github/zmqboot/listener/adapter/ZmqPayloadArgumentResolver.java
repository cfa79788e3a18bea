package io.github.zmqboot.listener.adapter;

import java.nio.charset.StandardCharsets;

import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.handler.annotation.support.PayloadMethodArgumentResolver;

/**
 * Spring's payload resolver with two ZeroMQ adjustments: an empty frame is a valid payload (ZeroMQ peers send empty
 * messages; Spring would reject them), and a {@code String} parameter is decoded as UTF-8 without a converter round.
 */
final class ZmqPayloadArgumentResolver extends PayloadMethodArgumentResolver {

    ZmqPayloadArgumentResolver(MessageConverter converter) {
        super(converter, null, true);
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, Message<?> message) throws Exception {
        if (parameter.getParameterType() == String.class && message.getPayload() instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return super.resolveArgument(parameter, message);
    }

    @Override
    protected boolean isEmptyPayload(Object payload) {
        return payload == null;
    }
}
