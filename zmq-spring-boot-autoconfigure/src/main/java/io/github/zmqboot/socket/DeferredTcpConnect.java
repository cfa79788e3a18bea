package io.github.zmqboot.socket;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.UnknownHostException;

import org.zeromq.ZMQException;
import zmq.Options;
import zmq.Own;
import zmq.SocketBase;
import zmq.ZError;
import zmq.ZMQ;
import zmq.ZObject;
import zmq.io.IOThread;
import zmq.io.SessionBase;
import zmq.pipe.Pipe;
import zmq.socket.Sockets;

/**
 * The tcp connect of JeroMQ 0.6.0's {@code SocketBase.connectInternal}, with the host name looked up when the
 * connection opens ({@link LateResolvingAddress}) instead of at once. The engine resolves a tcp host in
 * {@code connect} and fails with {@code EADDRNOTAVAIL} when the name does not resolve yet, though its connecter
 * resolves again before every attempt; libzmq defers the look-up to the connection. The steps are the engine's own
 * (session, pipe attached at connect, endpoint registered for {@code disconnect}); four private parts of the engine
 * are reached by reflection. The caller holds the engine's socket lock and has seen the engine's own {@code connect}
 * pass every check before the look-up (context alive, transport known, endpoint well formed).
 */
final class DeferredTcpConnect {

    private static final Field OPTIONS = field(Own.class, "options");

    private static final Method CHOOSE_IO_THREAD = method(ZObject.class, "chooseIoThread", long.class);

    private static final Method ATTACH_PIPE = method(SocketBase.class, "attachPipe", Pipe.class, boolean.class,
            boolean.class);

    private static final Method ADD_ENDPOINT = method(SocketBase.class, "addEndpoint", String.class, Own.class,
            Pipe.class);

    private static final String TCP = "tcp://";

    private DeferredTcpConnect() {
    }

    /** Whether the engine's connect to {@code endpoint} failed only because its tcp host name does not resolve. */
    static boolean isUnresolvedHost(String endpoint, ZMQException failure) {
        return endpoint.startsWith(TCP) && failure.getErrorCode() == ZError.EADDRNOTAVAIL
                && failure.getCause() instanceof UnknownHostException;
    }

    /**
     * Connects {@code base} to {@code endpoint} as the engine does, resolving the host on each connection attempt.
     *
     * @return the connection's address (resolved once the name resolves)
     * @throws IllegalStateException when the engine has no I/O thread ({@code EMTHREAD}) or is not JeroMQ 0.6.0
     */
    static LateResolvingAddress connect(SocketBase base, String socketName, String endpoint) {
        Options options = (Options) read(OPTIONS, base);
        IOThread ioThread = (IOThread) invoke(CHOOSE_IO_THREAD, base, options.affinity);
        if (ioThread == null) {
            base.errno.set(ZError.EMTHREAD);
            return null;
        }
        LateResolvingAddress address = new LateResolvingAddress(socketName, endpoint, endpoint.substring(TCP.length()));
        SessionBase session = Sockets.createSession(ioThread, true, base, options, address);
        Pipe pipe = null;
        if (options.immediate) {
            // the engine's "immediate" is libzmq's ZMQ_IMMEDIATE inverted: attach the pipe now, as connect does
            boolean conflate = options.conflate && (options.type == ZMQ.ZMQ_DEALER || options.type == ZMQ.ZMQ_PULL
                    || options.type == ZMQ.ZMQ_PUSH || options.type == ZMQ.ZMQ_PUB || options.type == ZMQ.ZMQ_SUB);
            int[] hwms = { conflate ? -1 : options.sendHwm, conflate ? -1 : options.recvHwm };
            Pipe[] pipes = Pipe.pair(new ZObject[] { base, session }, hwms, new boolean[] { conflate, conflate });
            invoke(ATTACH_PIPE, base, pipes[0], false, true);
            pipe = pipes[0];
            session.attachPipe(pipes[1]);
        }
        invoke(ADD_ENDPOINT, base, endpoint, session, pipe);
        return address;
    }

    /** The routing id the engine gave the pipe of the last connect (PEER). */
    static int lastRoutingId(SocketBase base) {
        return ((Options) read(OPTIONS, base)).peerLastRoutingId;
    }

    private static Object read(Field field, Object target) {
        try {
            return field.get(target);
        }
        catch (IllegalAccessException ex) {
            throw unsupported(field.getName(), ex);
        }
    }

    private static Object invoke(Method method, Object target, Object... arguments) {
        try {
            return method.invoke(target, arguments);
        }
        catch (IllegalAccessException ex) {
            throw unsupported(method.getName(), ex);
        }
        catch (InvocationTargetException ex) {
            if (ex.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(ex.getCause());
        }
    }

    private static Field field(Class<?> owner, String name) {
        try {
            Field field = owner.getDeclaredField(name);
            field.setAccessible(true);
            return field;
        }
        catch (NoSuchFieldException ex) {
            throw unsupported(name, ex);
        }
    }

    private static Method method(Class<?> owner, String name, Class<?>... parameterTypes) {
        try {
            Method method = owner.getDeclaredMethod(name, parameterTypes);
            method.setAccessible(true);
            return method;
        }
        catch (NoSuchMethodException ex) {
            throw unsupported(name, ex);
        }
    }

    private static IllegalStateException unsupported(String member, Exception cause) {
        return new IllegalStateException("This JeroMQ version has no " + member
                + " as 0.6.0 has; zmq-spring-boot supports JeroMQ 0.6.0", cause);
    }
}
