package io.github.zmqboot.internal.engine;

import java.util.concurrent.locks.Lock;
import java.util.function.Supplier;

import io.github.zmqboot.core.ZmqError;
import io.github.zmqboot.core.ZmqException;
import io.github.zmqboot.internal.context.ZmqContextManager;
import zmq.SocketBase;
import zmq.ZError;

/**
 * What the parts of a {@link ManagedSocket} share: its name, the engine's socket, whether and why it closed, and the
 * exceptions its calls raise from the engine's errors.
 */
final class SocketState {

    private final String name;

    private final SocketBase base;

    private final ZmqContextManager contextManager;

    private volatile ZmqError closedError;

    SocketState(String name, SocketBase base, ZmqContextManager contextManager) {
        this.name = name;
        this.base = base;
        this.contextManager = contextManager;
    }

    String name() {
        return this.name;
    }

    SocketBase base() {
        return this.base;
    }

    boolean isClosed() {
        return this.closedError != null;
    }

    /**
     * Marks the socket closed for {@code reason}.
     *
     * @return false when it was closed already
     */
    synchronized boolean markClosed(ZmqError reason) {
        if (this.closedError != null) {
            return false;
        }
        this.closedError = reason;
        return true;
    }

    /** See {@link ManagedSocket#lastError(String)}. */
    ZmqException lastError(String operation) {
        int errno = this.base.errno();
        if (errno == ZError.ECANCELED || this.closedError != null || this.contextManager.isTerminated()) {
            return closedException();
        }
        ZmqError error = ZmqError.fromErrno(errno);
        String detail = error == ZmqError.EUNKNOWN ? " (engine errno " + errno + ")" : "";
        return new ZmqException(error, this.name + ": " + operation + " failed" + detail);
    }

    /** See {@link ManagedSocket#closedException()}. */
    ZmqException closedException() {
        ZmqError error = this.closedError;
        if (error == ZmqError.ETERM || this.contextManager.isTerminated()) {
            return new ZmqException(ZmqError.ETERM, "socket '" + this.name + "': the ZeroMQ context is terminated");
        }
        return new ZmqException(ZmqError.ENOTSOCK, "socket '" + this.name + "' is closed");
    }

    /** See {@link ManagedSocket#underEngineLock(Supplier)}. */
    <T> T underEngineLock(Supplier<T> action) {
        Lock lock = EngineInternals.lock(this.base);
        lock.lock();
        try {
            return action.get();
        }
        finally {
            lock.unlock();
        }
    }
}
