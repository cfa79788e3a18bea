package io.github.zmqboot.listener.adapter;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.List;

import io.github.zmqboot.convert.ZmqPayloadConverter;
import io.github.zmqboot.internal.engine.InboundMessage;
import io.github.zmqboot.internal.engine.InboundSource;
import io.github.zmqboot.listener.ListenerInvoker;
import io.github.zmqboot.listener.ZmqListenerErrorHandler;
import io.github.zmqboot.observation.ZmqObserver;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.zeromq.SocketType;

import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.core.convert.support.DefaultConversionService;
import org.springframework.messaging.converter.ByteArrayMessageConverter;
import org.springframework.messaging.converter.CompositeMessageConverter;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.messaging.handler.annotation.support.HeaderMethodArgumentResolver;
import org.springframework.messaging.handler.annotation.support.HeadersMethodArgumentResolver;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;

/**
 * Calls one listener method for one message through Spring Messaging's handler-method infrastructure
 * ({@link InvocableHandlerMethod} and argument resolvers), sends the reply the socket type calls for, and routes
 * failures to the error handler. The container counts each outcome before its reply goes out, so a sender that got
 * a reply can rely on the count.
 */
final class MessagingListenerInvoker implements ListenerInvoker<ReceivedMessage> {

    private static final Log logger = LogFactory.getLog(MessagingListenerInvoker.class);

    private final String listenerId;

    private final InvocableHandlerMethod handlerMethod;

    private final InboundSource source;

    private final SocketType type;

    private final ReplyFrames replyFrames;

    private final @Nullable ZmqListenerErrorHandler errorHandler;

    private final boolean replies;

    private volatile boolean warnedIgnoredReply;

    /** Observes each call; {@code null} (nothing to do per call) unless observation is on. */
    private final @Nullable ZmqObserver observer;

    /**
     * @param listenerId the listener's id, for logs
     * @param bean the bean whose method is called
     * @param method the method to call (invocable on {@code bean}, proxies resolved)
     * @param source the receiving socket (replies go through it)
     * @param socketBean the socket bean, for {@code ZmqPeer}/{@code ZmqSocket} parameters
     * @param payloadConverter converts payloads both ways (its Spring converter handles non-byte, non-string types)
     * @param errorHandler the named error handler, or {@code null} for the default (log and count)
     * @param observer observes each call, or {@code null}
     * @param beanFactory for {@code ${…}} in {@code @Header} defaults
     * @param routingIdAnnotation the parameter annotation that asks for the sender's routing id
     */
    MessagingListenerInvoker(String listenerId, Object bean, Method method, InboundSource source, Object socketBean,
            ZmqPayloadConverter payloadConverter, @Nullable ZmqListenerErrorHandler errorHandler,
            @Nullable ZmqObserver observer, ConfigurableBeanFactory beanFactory,
            Class<? extends Annotation> routingIdAnnotation) {
        this.listenerId = listenerId;
        this.observer = observer;
        this.source = source;
        this.type = source.type();
        this.replyFrames = new ReplyFrames(payloadConverter);
        this.errorHandler = errorHandler;
        this.replies = switch (this.type) {
            case PEER, SERVER, ROUTER, DEALER, REP, PAIR, CHANNEL, CLIENT -> true;
            default -> false;
        };
        MessageConverter converter = new CompositeMessageConverter(List.of(new ByteArrayMessageConverter(),
                new StringMessageConverter(), payloadConverter.messageConverter()));
        List<HandlerMethodArgumentResolver> resolvers = List.of(
                new RoutingIdArgumentResolver(routingIdAnnotation),
                new HeaderMethodArgumentResolver(DefaultConversionService.getSharedInstance(), beanFactory),
                new HeadersMethodArgumentResolver(),
                new ZMsgArgumentResolver(),
                new SocketArgumentResolver(socketBean),
                new ZmqMessageArgumentResolver(converter),
                new ZmqPayloadArgumentResolver(converter));
        this.handlerMethod = new BoundHandlerMethod(bean, method, resolvers);
    }

    @Override
    public ReceivedMessage message(InboundMessage message) {
        return ReceivedMessage.of(message, this.source.name(), this.type, this.source.subscriptions());
    }

    @Override
    public ReceivedMessage frame(int routingId, byte[] frame) {
        return ReceivedMessage.ofFrame(routingId, frame, this.source.name(), this.type);
    }

    @Override
    public int senderKey(ReceivedMessage message) {
        return message.senderKey();
    }

    /**
     * Calls the method for one message; on failure, the error handler (or the default: a log line with the
     * listener id). Sends nothing: call {@link #reply(ReceivedMessage, Outcome)} with the outcome, after counting it.
     */
    @Override
    public Outcome invoke(ReceivedMessage message) {
        ZmqObserver.Call call = this.observer != null ? this.observer.listenerCall(this.listenerId, this.source.name())
                : null;
        try {
            Object reply = this.handlerMethod.invoke(message);
            if (call != null) {
                call.succeeded();
            }
            return reply == null ? Outcome.HANDLED_WITHOUT_REPLY : new Outcome(true, reply);
        }
        catch (Exception ex) {
            if (call != null) {
                call.failed(ex);
            }
            return new Outcome(false, handleFailure(message, ex));
        }
    }

    /** Sends the reply an outcome calls for (REP always answers; other types only a non-null value). */
    @Override
    public void reply(ReceivedMessage message, Outcome outcome) {
        reply(message, outcome.reply());
    }

    private @Nullable Object handleFailure(ReceivedMessage message, Exception exception) {
        if (this.errorHandler == null) {
            logger.error("Listener '" + this.listenerId + "' failed to handle " + message, exception);
            return null;
        }
        try {
            return this.errorHandler.handleError(message, exception);
        }
        catch (Exception ex) {
            logger.error("Error handler of listener '" + this.listenerId + "' failed", ex);
            return null;
        }
    }

    private void reply(ReceivedMessage message, @Nullable Object value) {
        if (value == null) {
            if (this.type == SocketType.REP) {
                send(message, this.replyFrames.empty(message));
            }
            return;
        }
        if (!this.replies) {
            if (!this.warnedIgnoredReply) {
                this.warnedIgnoredReply = true;
                logger.warn("Listener '" + this.listenerId + "' returned a value, but a " + this.type
                        + " socket cannot reply; return values are ignored");
            }
            return;
        }
        byte[][] frames;
        try {
            frames = this.replyFrames.of(message, value);
        }
        catch (RuntimeException ex) {
            logger.error("Listener '" + this.listenerId + "' returned a value that cannot be converted", ex);
            if (this.type == SocketType.REP) {
                send(message, this.replyFrames.empty(message));
            }
            return;
        }
        send(message, frames);
    }

    private void send(ReceivedMessage message, byte[][] frames) {
        try {
            this.source.reply(message.routingId(), frames);
        }
        catch (RuntimeException ex) {
            logger.warn("Listener '" + this.listenerId + "' could not send its reply: " + ex.getMessage());
        }
    }
}
