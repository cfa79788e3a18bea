package io.github.zmqboot.convert;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import tools.jackson.databind.exc.InvalidDefinitionException;

import org.springframework.messaging.Message;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.support.MessageBuilder;

/**
 * Turns objects into message payloads and back: {@code byte[]} as it is, {@code String} as UTF-8, anything else
 * through the configured Spring {@link MessageConverter} (JSON with Jackson by default).
 */
public class ZmqPayloadConverter {

    private static final byte[] PROBE = "{}".getBytes(StandardCharsets.UTF_8);

    private final MessageConverter messageConverter;

    public ZmqPayloadConverter(MessageConverter messageConverter) {
        this.messageConverter = messageConverter;
    }

    /** The Spring converter used for every type but {@code byte[]} and {@code String}. */
    public MessageConverter messageConverter() {
        return this.messageConverter;
    }

    /**
     * The bytes to send for {@code payload}.
     *
     * @throws MessageConversionException when the converter cannot write it
     */
    public byte[] toPayload(Object payload) {
        if (payload instanceof byte[] bytes) {
            return bytes;
        }
        if (payload instanceof String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        Message<?> message = this.messageConverter.toMessage(payload, null);
        if (message == null) {
            throw new MessageConversionException("No converter can write a " + payload.getClass().getName());
        }
        Object converted = message.getPayload();
        if (converted instanceof byte[] bytes) {
            return bytes;
        }
        if (converted instanceof String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        throw new MessageConversionException("The converter wrote a " + converted.getClass().getName()
                + " for a " + payload.getClass().getName() + "; expected bytes");
    }

    /**
     * Reads {@code payload} as {@code type}.
     *
     * @throws MessageConversionException when the converter cannot read it
     */
    @SuppressWarnings("unchecked")
    public <T> T fromPayload(byte[] payload, Class<T> type) {
        if (type == byte[].class) {
            return (T) payload;
        }
        if (type == String.class) {
            return (T) new String(payload, StandardCharsets.UTF_8);
        }
        Object value = this.messageConverter.fromMessage(MessageBuilder.withPayload(payload).build(), type);
        if (value == null) {
            throw new MessageConversionException("No converter can read a " + type.getName());
        }
        return (T) value;
    }

    /**
     * Why the converter can never read a {@code type}, or empty when it may: asked at startup for each listener's
     * payload parameter. The converter is asked to read an empty JSON object as {@code type}: it reports that it
     * cannot (returns null), or its mapper cannot construct the type at all (Jackson's
     * {@link InvalidDefinitionException}: an abstract type such as {@code InputStream}, a class without a creator).
     * A probe that fails on its content ({@code {}} is no value of the type) says nothing: the type passes.
     */
    public Optional<String> whyUnreadable(Class<?> type) {
        if (type == byte[].class || type == String.class) {
            return Optional.empty();
        }
        try {
            Object value = this.messageConverter.fromMessage(MessageBuilder.withPayload(PROBE).build(), type);
            return value == null ? Optional.of("the message converter (" + this.messageConverter.getClass()
                .getSimpleName() + ") reports that it cannot read a " + type.getName()) : Optional.empty();
        }
        catch (RuntimeException ex) {
            for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
                if (cause instanceof InvalidDefinitionException definition) {
                    return Optional.of("the message converter cannot construct a " + type.getName() + ": "
                            + definition.getOriginalMessage());
                }
            }
            return Optional.empty();
        }
    }
}
