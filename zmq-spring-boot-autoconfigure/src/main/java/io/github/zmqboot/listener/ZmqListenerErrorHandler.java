package io.github.zmqboot.listener;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;

/**
 * Handles a message whose handling failed (the handler threw, or the payload could not be converted). Name a bean of
 * this type in {@code @ZmqListener(errorHandler = "…")}; without one, the container logs the failure with the
 * listener id and counts it.
 */
@FunctionalInterface
public interface ZmqListenerErrorHandler {

    /**
     * Handles the failure.
     *
     * @param message the failed message: payload is the raw {@code byte[]} of its last frame, with the
     *        {@link ZmqHeaders} headers
     * @param exception what went wrong
     * @return a reply to send to the sender (converted like a handler's return value), or {@code null} for none
     *         (a REP socket then answers an empty frame)
     */
    @Nullable Object handleError(Message<?> message, Exception exception);
}
