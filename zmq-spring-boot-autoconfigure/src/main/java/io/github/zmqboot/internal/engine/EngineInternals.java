package io.github.zmqboot.internal.engine;

import java.lang.reflect.Field;
import java.nio.channels.SelectableChannel;
import java.util.concurrent.locks.Lock;

import zmq.Mailbox;
import zmq.SocketBase;

/**
 * Two private parts of JeroMQ 0.6.0's {@code SocketBase} that thread-safe sockets need, read by reflection once:
 * <ul>
 * <li>{@code threadSafeSync}, the lock the engine takes inside a thread-safe socket's operations. Its
 * {@code disconnectPeer} forgets to take it and so races concurrent sends and receives; taking it around that call
 * serialises it exactly as the engine serialises {@code connectPeer}.</li>
 * <li>the socket's command {@code mailbox}. In 0.6.0 a "thread-safe" socket still waits in a plain
 * {@link Mailbox} and keeps holding its lock for the whole of a blocking send, receive or poll, so one blocked call
 * blocks every other thread's call on that socket. The mailbox's signal channel (what {@code ZMQ_FD} is for other
 * sockets) lets callers wait for the socket <em>outside</em> the lock and then call the engine without blocking.</li>
 * </ul>
 */
final class EngineInternals {

    /** The names of the fields read (registered for reflection by {@link EngineRuntimeHints}). */
    static final String LOCK_FIELD = "threadSafeSync";

    static final String MAILBOX_FIELD = "mailbox";

    private static final Field LOCK = field(LOCK_FIELD);

    private static final Field MAILBOX = field(MAILBOX_FIELD);

    static final String THREAD_SAFE_FIELD = "threadSafe";

    private static final Field THREAD_SAFE = field(THREAD_SAFE_FIELD);

    private EngineInternals() {
    }

    /** Whether the engine makes this socket thread-safe (takes {@link #lock(SocketBase)} inside its calls). */
    static boolean isThreadSafe(SocketBase base) {
        return (boolean) read(THREAD_SAFE, base);
    }

    /** The engine's own lock of a socket (taken by the engine itself only for thread-safe types). */
    static Lock lock(SocketBase base) {
        return (Lock) read(LOCK, base);
    }

    /** The channel that becomes readable when a command reaches the socket's mailbox. */
    static SelectableChannel signalChannel(SocketBase base) {
        Object mailbox = read(MAILBOX, base);
        if (mailbox instanceof Mailbox plain) {
            return plain.getFd();
        }
        throw new IllegalStateException("Unexpected engine mailbox " + mailbox.getClass().getName()
                + "; zmq-spring-boot supports JeroMQ 0.6.0");
    }

    private static Object read(Field field, SocketBase base) {
        try {
            return field.get(base);
        }
        catch (IllegalAccessException ex) {
            throw new IllegalStateException("Cannot read the engine's " + field.getName(), ex);
        }
    }

    private static Field field(String name) {
        try {
            Field field = SocketBase.class.getDeclaredField(name);
            field.setAccessible(true);
            return field;
        }
        catch (NoSuchFieldException ex) {
            throw new IllegalStateException("This JeroMQ version has no SocketBase." + name
                    + "; zmq-spring-boot supports JeroMQ 0.6.0", ex);
        }
    }
}
