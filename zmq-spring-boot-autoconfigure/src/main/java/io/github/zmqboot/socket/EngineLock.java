package io.github.zmqboot.socket;

import java.lang.reflect.Field;
import java.util.concurrent.locks.Lock;

import zmq.SocketBase;

/**
 * Access to the lock JeroMQ 0.6.0 takes inside a thread-safe socket's operations ({@code SocketBase.threadSafeSync}).
 * <p>
 * The engine's {@code disconnectPeer} runs without it and so races concurrent sends and receives on the same
 * socket; taking this lock around it serialises it exactly as the engine serialises {@code connectPeer}. The field
 * is private in the engine, hence the reflection, checked once when this class loads.
 */
final class EngineLock {

    private static final Field FIELD = lockField();

    private EngineLock() {
    }

    static Lock of(SocketBase base) {
        try {
            return (Lock) FIELD.get(base);
        }
        catch (IllegalAccessException ex) {
            throw new IllegalStateException("Cannot read the engine's socket lock", ex);
        }
    }

    private static Field lockField() {
        try {
            Field field = SocketBase.class.getDeclaredField("threadSafeSync");
            field.setAccessible(true);
            return field;
        }
        catch (NoSuchFieldException ex) {
            throw new IllegalStateException("This JeroMQ version has no SocketBase.threadSafeSync; "
                    + "zmq-spring-boot supports JeroMQ 0.6.0", ex);
        }
    }
}
