package io.github.zmqboot.internal.transport;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import zmq.Msg;
import zmq.Options;
import zmq.Own;
import zmq.SocketBase;
import zmq.ZObject;
import zmq.io.IOObject;
import zmq.io.IOThread;
import zmq.io.SessionBase;
import zmq.io.StreamEngine.ErrorReason;
import zmq.pipe.Pipe;
import zmq.poll.Poller;

/**
 * The parts of JeroMQ 0.6.0 a transport of its own needs that the engine keeps to itself (its own transports live
 * in its packages): starting and stopping an object owned by a socket or session, attaching a pipe to a socket, the
 * session's queue and pipe, the thread-safe socket's lock, a poller's interest in accepting, and whether the
 * socket's context is terminated. Looked up once as method handles (fast after JIT); a JeroMQ version without them
 * fails at class initialisation with a message naming the member.
 */
final class EngineAccess {

    private static final MethodHandle LAUNCH_CHILD = method(Own.class, "launchChild",
            MethodType.methodType(void.class, Own.class));

    private static final MethodHandle TERM_CHILD = method(Own.class, "termChild",
            MethodType.methodType(void.class, Own.class));

    private static final MethodHandle CHOOSE_IO_THREAD = method(ZObject.class, "chooseIoThread",
            MethodType.methodType(IOThread.class, long.class));

    private static final MethodHandle ATTACH_PIPE = method(SocketBase.class, "attachPipe",
            MethodType.methodType(void.class, Pipe.class, boolean.class, boolean.class));

    private static final MethodHandle PUSH_MSG = method(SessionBase.class, "pushMsg",
            MethodType.methodType(boolean.class, Msg.class));

    private static final MethodHandle PULL_MSG = method(SessionBase.class, "pullMsg",
            MethodType.methodType(Msg.class));

    private static final MethodHandle ZAP_ENABLED = method(SessionBase.class, "zapEnabled",
            MethodType.methodType(boolean.class));

    private static final VarHandle THREAD_SAFE_SYNC = field(SocketBase.class, "threadSafeSync", ReentrantLock.class);

    private static final VarHandle THREAD_SAFE = field(SocketBase.class, "threadSafe", boolean.class);

    private static final VarHandle OPTIONS = field(Own.class, "options", Options.class);

    private static final VarHandle CONTEXT_TERMINATED = field(SocketBase.class, "ctxTerminated", AtomicBoolean.class);

    private static final VarHandle SESSION_PIPE = field(SessionBase.class, "pipe", Pipe.class);

    private static final VarHandle TERMINATING_PIPES = field(SessionBase.class, "terminatingPipes", Set.class);

    private static final VarHandle IO_OBJECT_POLLER = field(IOObject.class, "poller", Poller.class);

    private static final VarHandle LAST_ENDPOINT = field(Options.class, "lastEndpoint", String.class);

    private static final MethodHandle POLLER_REGISTER = method(Poller.class, "register",
            MethodType.methodType(void.class, Poller.Handle.class, int.class, boolean.class));

    private static final MethodHandle CLEAN_PIPES = method(SessionBase.class, "cleanPipes",
            MethodType.methodType(void.class));

    private EngineAccess() {
    }

    /**
     * Withdraws a listener's interest in accepting, keeping its registration with the poller ({@code IOObject} can
     * only add interests; removing the handle and adding it again later can lose the new registration).
     */
    static void resetPollAccept(IOObject ioObject, Poller.Handle handle) {
        try {
            POLLER_REGISTER.invokeExact((Poller) IO_OBJECT_POLLER.get(ioObject), handle,
                    java.nio.channels.SelectionKey.OP_ACCEPT, false);
        }
        catch (Throwable ex) {
            throw rethrow(ex);
        }
    }

    /** Sets what the socket's {@code ZMQ_LAST_ENDPOINT} answers, as the engine's own bind and connect do. */
    static void lastEndpoint(SocketBase socket, String endpoint) {
        LAST_ENDPOINT.set(options(socket), endpoint);
    }

    /** Whether the socket's context is terminated (the engine's own bind and connect then fail with ETERM). */
    static boolean contextTerminated(SocketBase socket) {
        return ((AtomicBoolean) CONTEXT_TERMINATED.get(socket)).get();
    }

    /**
     * Tells a session that its engine failed, as {@code session.engineError(handshaked, reason)}; for a connecting
     * session with libzmq's {@code ZMQ_IMMEDIATE} (the engine's {@code immediate} false) that lost its connection, it
     * first does what the session's own reconnect does for it: clears the pipe of half-done messages and detaches it
     * (the socket queues nothing for a connection that is not there). The session cannot do that itself for this
     * project's transports: its reconnect reads the protocol of an address that has none.
     *
     * @param connecting whether the session connects (rather than serving a connection a listener accepted)
     */
    static void engineError(SessionBase session, Options options, boolean connecting, boolean handshaked,
            ErrorReason reason) {
        Pipe pipe = (Pipe) SESSION_PIPE.get(session);
        if (connecting && !options.immediate && pipe != null && reason != ErrorReason.PROTOCOL) {
            try {
                CLEAN_PIPES.invokeExact(session);
            }
            catch (Throwable ex) {
                throw rethrow(ex);
            }
            if (handshaked && options.canReceiveHiccupMsg && options.hiccupMsg != null) {
                pipe.sendHiccupMsg(options.hiccupMsg);
            }
            pipe.hiccup();
            pipe.terminate(false);
            @SuppressWarnings("unchecked")
            Set<Pipe> terminating = (Set<Pipe>) TERMINATING_PIPES.get(session);
            terminating.add(pipe);
            SESSION_PIPE.set(session, (Pipe) null);
        }
        session.engineError(handshaked, reason);
    }

    /** The socket's options (what its sessions and engines are made with). */
    static Options options(SocketBase socket) {
        return (Options) OPTIONS.get((Own) socket);
    }

    /** {@code owner} starts {@code child} on the child's I/O thread and becomes the one that terminates it. */
    static void launchChild(Own owner, Own child) {
        try {
            LAUNCH_CHILD.invokeExact(owner, child);
        }
        catch (Throwable ex) {
            throw rethrow(ex);
        }
    }

    /** {@code owner} terminates {@code child} (run on the owner's thread). */
    static void termChild(Own owner, Own child) {
        try {
            TERM_CHILD.invokeExact(owner, child);
        }
        catch (Throwable ex) {
            throw rethrow(ex);
        }
    }

    /** An I/O thread of the socket's context for the affinity, or null when the context has none. */
    static IOThread chooseIoThread(SocketBase socket, long affinity) {
        try {
            return (IOThread) CHOOSE_IO_THREAD.invokeExact((ZObject) socket, affinity);
        }
        catch (Throwable ex) {
            throw rethrow(ex);
        }
    }

    /** Attaches the socket's end of a new pipe to the socket, as the engine's own connect does. */
    static void attachPipe(SocketBase socket, Pipe pipe, boolean subscribeToAll, boolean locallyInitiated) {
        try {
            ATTACH_PIPE.invokeExact(socket, pipe, subscribeToAll, locallyInitiated);
        }
        catch (Throwable ex) {
            throw rethrow(ex);
        }
    }

    static boolean pushMsg(SessionBase session, Msg msg) {
        try {
            return (boolean) PUSH_MSG.invokeExact(session, msg);
        }
        catch (Throwable ex) {
            throw rethrow(ex);
        }
    }

    static Msg pullMsg(SessionBase session) {
        try {
            return (Msg) PULL_MSG.invokeExact(session);
        }
        catch (Throwable ex) {
            throw rethrow(ex);
        }
    }

    static boolean zapEnabled(SessionBase session) {
        try {
            return (boolean) ZAP_ENABLED.invokeExact(session);
        }
        catch (Throwable ex) {
            throw rethrow(ex);
        }
    }

    /**
     * Runs {@code action} under the lock the engine takes inside every call of a thread-safe socket (no lock for
     * other sockets: their one thread at a time is the caller's duty).
     */
    static <T> T underSocketLock(SocketBase socket, java.util.function.Supplier<T> action) {
        if (!(boolean) THREAD_SAFE.get(socket)) {
            return action.get();
        }
        ReentrantLock lock = (ReentrantLock) THREAD_SAFE_SYNC.get(socket);
        lock.lock();
        try {
            return action.get();
        }
        finally {
            lock.unlock();
        }
    }

    private static RuntimeException rethrow(Throwable ex) {
        if (ex instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (ex instanceof Error error) {
            throw error;
        }
        throw new IllegalStateException(ex);
    }

    private static MethodHandle method(Class<?> owner, String name, MethodType type) {
        try {
            return MethodHandles.privateLookupIn(owner, MethodHandles.lookup()).findVirtual(owner, name, type);
        }
        catch (ReflectiveOperationException ex) {
            throw new IllegalStateException("This JeroMQ version has no " + owner.getSimpleName() + "." + name
                    + "; zmq-spring-boot supports JeroMQ 0.6.0", ex);
        }
    }

    private static VarHandle field(Class<?> owner, String name, Class<?> type) {
        try {
            return MethodHandles.privateLookupIn(owner, MethodHandles.lookup()).findVarHandle(owner, name, type);
        }
        catch (ReflectiveOperationException ex) {
            throw new IllegalStateException("This JeroMQ version has no " + owner.getSimpleName() + "." + name
                    + "; zmq-spring-boot supports JeroMQ 0.6.0", ex);
        }
    }
}
