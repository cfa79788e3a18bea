package io.github.zmqboot.annotation;

import java.lang.reflect.Method;
import java.util.Set;

import io.github.zmqboot.convert.ZmqPayloadConverter;
import io.github.zmqboot.listener.ListenerConfigurationException;
import io.github.zmqboot.listener.ZmqHeaders;
import org.zeromq.SocketType;
import org.zeromq.ZMsg;

import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Headers;

/**
 * Checks at startup that every parameter of a {@code @ZmqListener} method can be supplied for the socket type, so a
 * mistake fails startup naming the method instead of failing every message.
 */
final class ListenerParameters {

    private static final Set<String> HEADERS = Set.of(ZmqHeaders.ROUTING_ID, ZmqHeaders.IDENTITY, ZmqHeaders.TOPIC,
            ZmqHeaders.SOCKET);

    private ListenerParameters() {
    }

    static void check(Method method, SocketType type, ZmqPayloadConverter converter) {
        int payloads = 0;
        for (int i = 0; i < method.getParameterCount(); i++) {
            MethodParameter parameter = new MethodParameter(method, i);
            Class<?> parameterType = parameter.getParameterType();
            if (parameter.hasParameterAnnotation(RoutingId.class)) {
                if (parameterType != int.class && parameterType != Integer.class) {
                    throw new ListenerConfigurationException(method, "@RoutingId parameter " + i + " is a "
                            + parameterType.getSimpleName() + ", not an int", "Declare it as int.");
                }
                if (type != SocketType.PEER && type != SocketType.SERVER) {
                    throw new ListenerConfigurationException(method, "@RoutingId needs a PEER or SERVER socket, "
                            + "not " + type, "Remove the @RoutingId parameter (a ROUTER identity is the header "
                            + ZmqHeaders.IDENTITY + ").");
                }
            }
            else if (parameter.hasParameterAnnotation(Header.class)) {
                Header header = parameter.getParameterAnnotation(Header.class);
                String name = !header.name().isEmpty() ? header.name() : header.value();
                if (!HEADERS.contains(name)) {
                    throw new ListenerConfigurationException(method, "@Header '" + name + "' is not a header the "
                            + "container sets", "Use one of " + HEADERS + " (constants of ZmqHeaders).");
                }
                if (header.required() && !setsHeader(type, name)) {
                    throw new ListenerConfigurationException(method, "@Header '" + name + "' is never set for a "
                            + type + " socket", "Remove the parameter, or declare it @Header(name = \"" + name
                            + "\", required = false).");
                }
            }
            else if (parameter.hasParameterAnnotation(Headers.class) || parameterType == MessageHeaders.class
                    || parameterType == ZMsg.class || Message.class.isAssignableFrom(parameterType)
                    || isSocketType(parameterType)) {
                // supplied by the container
            }
            else if (++payloads > 1) {
                throw new ListenerConfigurationException(method, "has more than one payload parameter (parameter "
                        + i + ", a " + parameterType.getSimpleName() + ")", "Keep one payload parameter (byte[], "
                        + "String or a type converted from JSON); take all frames with a ZMsg parameter.");
            }
            else {
                int index = i;
                converter.whyUnreadable(parameterType).ifPresent(reason -> {
                    throw new ListenerConfigurationException(method, "payload parameter " + index + " (a "
                            + parameterType.getName() + ") can never be read: " + reason, "Take the payload as "
                            + "byte[], String or ZMsg, or as a type the converter can construct (a record or a class "
                            + "with a default constructor for JSON).");
                });
            }
        }
    }

    /** Which headers the container sets for which socket type (see {@code ReceivedMessage#getHeaders()}). */
    private static boolean setsHeader(SocketType type, String header) {
        return switch (header) {
            case ZmqHeaders.ROUTING_ID -> type == SocketType.PEER || type == SocketType.SERVER;
            case ZmqHeaders.IDENTITY -> type == SocketType.ROUTER;
            case ZmqHeaders.TOPIC -> type == SocketType.SUB || type == SocketType.XSUB;
            default -> true;
        };
    }

    private static boolean isSocketType(Class<?> type) {
        return type.getName().equals("io.github.zmqboot.core.ZmqPeer")
                || type.getName().equals("io.github.zmqboot.core.ZmqSocket");
    }
}
