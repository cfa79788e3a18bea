package io.github.zmqboot.listener.adapter;

import org.zeromq.ZMsg;

import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;
import org.springframework.messaging.support.GenericMessage;

/** Resolves {@code ZMsg} and {@code Message<ZMsg>} parameters to every payload frame of the message. */
final class ZMsgArgumentResolver implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == ZMsg.class || isMessageOfZMsg(parameter);
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, Message<?> message) {
        ZMsg frames = ((ReceivedMessage) message).payloadFrames();
        return parameter.getParameterType() == ZMsg.class ? frames : new GenericMessage<>(frames, message.getHeaders());
    }

    private static boolean isMessageOfZMsg(MethodParameter parameter) {
        return Message.class.isAssignableFrom(parameter.getParameterType())
                && ResolvableType.forMethodParameter(parameter).getGeneric().resolve() == ZMsg.class;
    }
}
