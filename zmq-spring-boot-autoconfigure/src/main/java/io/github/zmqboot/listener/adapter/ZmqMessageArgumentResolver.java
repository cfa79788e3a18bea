package io.github.zmqboot.listener.adapter;

import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.handler.annotation.support.MessageMethodArgumentResolver;

/**
 * Spring's {@code Message<T>} parameter resolver, except that an empty frame is a valid payload: ZeroMQ peers send
 * empty messages, and Spring would reject them before the handler sees them.
 */
final class ZmqMessageArgumentResolver extends MessageMethodArgumentResolver {

    ZmqMessageArgumentResolver(MessageConverter converter) {
        super(converter);
    }

    @Override
    protected boolean isEmptyPayload(Object payload) {
        return payload == null;
    }
}
