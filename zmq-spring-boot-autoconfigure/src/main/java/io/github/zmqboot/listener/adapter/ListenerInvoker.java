package io.github.zmqboot.listener.adapter;

import java.lang.reflect.Method;
import java.util.List;

import io.github.zmqboot.convert.ZmqPayloadConverter;
import io.github.zmqboot.listener.ZmqListenerErrorHandler;
import io.github.zmqboot.socket.InboundSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.zeromq.SocketType;

import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.core.convert.support.DefaultConversionService;
import org.springframework.messaging.converter.ByteArrayMessageConverter;
import org.springframework.messaging.converter.CompositeMessageConverter;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.messaging.handler.annotation.support.DefaultMessageHandlerMethodFactory;
import org.springframework.messaging.handler.annotation.support.HeaderMethodArgumentResolver;
import org.springframework.messaging.handler.annotation.support.HeadersMethodArgumentResolver;
import org.springframework.messaging.handler.annotation.support.MessageMethodArgumentResolver;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;

/**
 * Calls one listener method for one message through Spring Messaging's handler-method infrastructure
 * ({@link InvocableHandlerMethod} and argument resolvers), sends the reply the socket type calls for, and routes
 * failures to the error handler. Returns whether handling succeeded, for the container's counts.
 */
public final class ListenerInvoker {

    private static final Log logger = LogFactory.getLog(ListenerInvoker.class);

    private final String listenerId;

    private final InvocableHandlerMethod handlerMethod;

    private final InboundSource source;

    private final SocketType type;

    private final ReplyFrames replyFrames;

    private final ZmqListenerErrorHandler errorHandler;

    private final boolean replies;

    private volatile boolean warnedIgnoredReply;

    /**
     * @param listenerId the listener's id, for logs
     * @param bean the bean whose method is called
     * @param method the method to call (invocable on {@code bean}, proxies resolved)
     * @param source the receiving socket (replies go through it)
     * @param socketBean the socket bean, for {@code ZmqPeer}/{@code ZmqSocket} parameters
     * @param payloadConverter converts payloads both ways (its Spring converter handles non-byte, non-string types)
     * @param errorHandler the named error handler, or {@code null} for the default (log and count)
     * @param beanFactory for {@code ${…}} in {@code @Header} defaults
     */
    public ListenerInvoker(String listenerId, Object bean, Method method, InboundSource source, Object socketBean,
            ZmqPayloadConverter payloadConverter, ZmqListenerErrorHandler errorHandler,
            ConfigurableBeanFactory beanFactory) {
        this.listenerId = listenerId;
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
        DefaultMessageHandlerMethodFactory factory = new DefaultMessageHandlerMethodFactory();
        factory.setBeanFactory(beanFactory);
        factory.setMessageConverter(converter);
        factory.setArgumentResolvers(List.of(
                new RoutingIdArgumentResolver(),
                new HeaderMethodArgumentResolver(DefaultConversionService.getSharedInstance(), beanFactory),
                new HeadersMethodArgumentResolver(),
                new ZMsgArgumentResolver(),
                new SocketArgumentResolver(socketBean),
                new MessageMethodArgumentResolver(converter),
                new ZmqPayloadArgumentResolver(converter)));
        factory.afterPropertiesSet();
        this.handlerMethod = factory.createInvocableHandlerMethod(bean, method);
    }

    /**
     * Handles one message: invoke, reply, or on failure consult the error handler.
     *
     * @return {@code true} when the handler succeeded, {@code false} when handling failed
     */
    public boolean handle(ReceivedMessage message) {
        Object result;
        try {
            result = this.handlerMethod.invoke(message);
        }
        catch (Exception ex) {
            handleFailure(message, ex);
            return false;
        }
        reply(message, result);
        return true;
    }

    private void handleFailure(ReceivedMessage message, Exception exception) {
        Object reply = null;
        if (this.errorHandler != null) {
            try {
                reply = this.errorHandler.handleError(message, exception);
            }
            catch (Exception ex) {
                logger.error("Error handler of listener '" + this.listenerId + "' failed", ex);
            }
        }
        else {
            logger.error("Listener '" + this.listenerId + "' failed to handle " + message, exception);
        }
        reply(message, reply);
    }

    private void reply(ReceivedMessage message, Object value) {
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
