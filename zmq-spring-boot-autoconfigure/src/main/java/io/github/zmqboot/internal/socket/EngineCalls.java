package io.github.zmqboot.internal.socket;

import java.nio.charset.StandardCharsets;

import io.github.zmqboot.core.ZmqError;
import io.github.zmqboot.core.ZmqException;
import io.github.zmqboot.internal.engine.ManagedSocket;
import zmq.ZMQ;

/**
 * Engine calls both socket implementations make the same way, each turning the engine's two ways of failing
 * (false with an errno, or an exception) into one {@link ZmqException} with libzmq's error name. The caller holds
 * the socket's lock (between {@code enter} and {@code exit}).
 */
final class EngineCalls {

    private EngineCalls() {
    }

    /** Connects (in the background, as libzmq does; a tcp host name is looked up on each connection attempt). */
    static void connect(ManagedSocket socket, String endpoint) {
        boolean connected;
        try {
            connected = socket.connect(endpoint);
        }
        catch (IllegalArgumentException ex) {
            throw new ZmqException(ZmqError.EINVAL, socket.name() + ": invalid endpoint '" + endpoint + "'", ex);
        }
        catch (org.zeromq.ZMQException ex) {
            throw new ZmqException(ZmqError.fromErrno(ex.getErrorCode()),
                    socket.name() + ": connect to '" + endpoint + "' failed", ex);
        }
        if (!connected) {
            throw socket.lastError("connect to '" + endpoint + "'");
        }
    }

    /** Sets a SUB socket's subscription option ({@code ZMQ_SUBSCRIBE} or {@code ZMQ_UNSUBSCRIBE}). */
    static void subscription(ManagedSocket socket, int option, String topic) {
        if (!socket.base().setSocketOpt(option, topic.getBytes(StandardCharsets.UTF_8))) {
            throw socket.lastError((option == ZMQ.ZMQ_SUBSCRIBE ? "subscribe to '" : "unsubscribe from '") + topic
                    + "'");
        }
    }
}
