package io.github.zmqboot.internal.engine;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import io.github.zmqboot.internal.context.ZmqContextManager;
import io.github.zmqboot.core.ZmqError;
import io.github.zmqboot.core.ZmqException;
import io.github.zmqboot.internal.monitor.SecurityLog;
import io.github.zmqboot.internal.monitor.SocketEventHook;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;
import io.github.zmqboot.internal.transport.Transports;
import zmq.Msg;
import zmq.SocketBase;

/**
 * One configured engine socket and the guard that makes using and closing it safe from any thread.
 * <p>
 * Every operation runs between {@link #enter()} and {@link #exit(long)}, which hold the socket's lock for a socket
 * {@linkplain ZmqSocketFactory#createSharedSocket shared} between threads (every bean's), or the gate's read lock
 * for an unshared one (see {@link SocketLock}). Every engine call is non-blocking; a wait (a full queue, no message
 * yet) happens with the lock released, so one thread's wait never stops another's call (see
 * {@link NonBlockingCalls}).
 * <p>
 * {@link #close(ZmqError)} first cancels every blocked call through the engine's cancellation token (so a thread
 * waiting in a send or receive returns at once, never interrupted), then takes the gate exclusively (waiting for a
 * reading thread's message in hand) and the socket's lock (waiting for a call in progress), closes the engine socket
 * with its linger and releases it from the context. Operations after that fail with {@code ENOTSOCK} (closed by the
 * user) or {@code ETERM} (closed because the context terminated).
 */
public final class ManagedSocket implements ZmqContextManager.ContextResource {

    private static final Log logger = LogFactory.getLog(ManagedSocket.class);

    private static final long CLOSE_WAIT_SECONDS = 5;

    /**
     * Types whose outgoing traffic is their subscriptions (or groups joined), which die with the socket: they close
     * without linger. When a publisher goes away, the engine queues a SUB's subscriptions again for the reconnect;
     * nothing can deliver them, and with a linger the close would wait for all of it although the application has
     * nothing left to send. Every other type closes as soon as its queues are empty, the linger an upper bound.
     */
    private static final java.util.Set<SocketType> SENDS_ONLY_SUBSCRIPTIONS = java.util.EnumSet.of(SocketType.SUB,
            SocketType.XSUB, SocketType.DISH);

    /** Types that never receive: nothing ever waits inside the engine for their messages. */
    private static final java.util.Set<SocketType> SENDS_ONLY = java.util.EnumSet.of(SocketType.PUSH, SocketType.PUB,
            SocketType.RADIO, SocketType.SCATTER);

    private final String name;

    private final SocketType type;

    private final ZMQ.Socket socket;

    private final SocketBase base;

    private final SocketOptions options;

    private final ZmqContextManager contextManager;

    /** The name, engine socket and closed state that the parts below share. */
    private final SocketState state;

    private final AtomicBoolean canceled = new AtomicBoolean();

    /** The gate and, for a shared socket, the lock every operation holds; the reading thread's wait in the engine. */
    private final SocketLock access;

    /** The socket's sends and receives. */
    private final NonBlockingCalls calls;

    private final SocketTraffic traffic;

    private final FrameSizeGuard frameSizeGuard;

    private final SocketEventHook events;

    private volatile Runnable closeDelegate;


    ManagedSocket(String name, SocketType type, ZMQ.Socket socket, SocketOptions options,
            ZmqContextManager contextManager, FrameSizeGuard frameSizeGuard, SocketEventHook events, boolean shared,
            SocketTraffic traffic) {
        this.state = new SocketState(name, socket.base(), contextManager);
        this.access = new SocketLock(this.state, shared, !SENDS_ONLY.contains(type));
        this.traffic = traffic;
        this.events = events;
        this.frameSizeGuard = frameSizeGuard;
        this.name = name;
        this.type = type;
        this.socket = socket;
        this.base = socket.base();
        this.options = options;
        this.contextManager = contextManager;
        this.calls = new NonBlockingCalls(this.state, options, this.access, this.canceled, traffic);
    }

    /** The socket's name (its bean name for configured sockets). */
    public String name() {
        return this.name;
    }

    /** The socket type. */
    public SocketType type() {
        return this.type;
    }

    /** The effective options, every value resolved. */
    public SocketOptions options() {
        return this.options;
    }

    /** The engine's socket. Use it only between {@link #enter()} and {@link #exit(long)}. */
    public SocketBase base() {
        return this.base;
    }

    /** The engine's high-level socket. Use it only between {@link #enter()} and {@link #exit(long)}. */
    public ZMQ.Socket socket() {
        return this.socket;
    }

    /** How many hostile frames (negative size, CVE-2019-6250) the socket's guard dropped. */
    public long rejectedFrames() {
        return this.frameSizeGuard.rejectedFrames();
    }

    /**
     * How many connections the engine dropped because an inbound message exceeded {@code max-message-size} (as told
     * by the socket's event hook; see {@link SocketEventHook}).
     */
    public long droppedOversizedConnections() {
        return this.events.oversizedMessageDrops();
    }

    /** The messages and bytes this socket sent and received. */
    public SocketTraffic traffic() {
        return this.traffic;
    }

    /** The cancellation token to pass to the engine's blocking {@code send}, {@code recv} and {@code poll}. */
    public AtomicBoolean cancellation() {
        return this.canceled;
    }

    /**
     * Runs {@code action} holding the engine's own socket lock, the lock its connect, send and receive take.
     * Needed for engine calls that forget to take it ({@code disconnectPeer} in JeroMQ 0.6.0). The engine takes it
     * only for thread-safe socket types; for the others (confined to one thread) taking it costs nothing else.
     */
    public <T> T underEngineLock(Supplier<T> action) {
        return this.state.underEngineLock(action);
    }

    /**
     * Connects: tcp, ipc, ws and wss through {@link Transports} (a tcp host name is looked up on each connection
     * attempt, as libzmq does), other transports through the engine. Call between {@link #enter()} and
     * {@link #exit(long)}.
     *
     * @return false when the engine refused (its errno tells why)
     * @throws org.zeromq.ZMQException for the engine's other refusals that it throws
     * @throws IllegalArgumentException for an endpoint the engine cannot parse
     */
    public boolean connect(String endpoint) {
        return EngineEndpoints.connect(this.state, endpoint);
    }

    /**
     * The engine's {@code connectPeer}, routed as {@link #connect(String)}: returns the new connection's routing id at
     * once, also for a host name that does not resolve yet, as libzmq's {@code zmq_connect_peer} does; 0 when the
     * engine refused (its errno tells why).
     */
    public int connectPeer(String endpoint) {
        return EngineEndpoints.connectPeer(this.state, endpoint);
    }

    /** The connected endpoints whose host name has not resolved yet: nothing is connected there. */
    public List<String> unresolvedConnects() {
        return Transports.unresolvedConnects(this.base).stream().distinct().sorted().toList();
    }

    /** Forgets a late-resolving connect after a disconnect. */
    public void forgetConnect(String endpoint) {
        Transports.forgetConnect(this.base, endpoint);
    }

    /**
     * Waits, without holding the socket's lock, until something reaches it (a message, free queue space, a
     * cancellation) or {@code millis} passed, on {@code waiter}; the caller then retries its non-blocking call.
     */
    void awaitSignal(SignalWaiter waiter, long millis) {
        this.calls.awaitSignal(waiter, millis);
    }

    /**
     * Sends one message without ever blocking inside the engine: a full queue is waited for outside the socket's
     * lock, up to the send timeout. Call between {@link #enter()} and {@link #exit(long)}; counts the message.
     *
     * @throws ZmqException {@code EAGAIN} when the send timeout expired, or the engine's error
     */
    public void sendWithoutBlocking(Msg msg, String operation) {
        this.calls.send(msg, operation);
    }

    /**
     * Sends one message of one or more frames as {@link #sendWithoutBlocking(Msg, String)} does, its frames never
     * interleaved with another thread's.
     */
    public void sendWithoutBlocking(byte[][] frames, String operation) {
        this.calls.send(frames, operation);
    }

    /**
     * For the reading thread of a REP socket whose last request is not answered yet ({@code EFSM}): waits, outside
     * the locks, until a reply is sent on the socket or {@code millis} passed.
     */
    void awaitReplySent(long stamp, long millis) {
        this.calls.awaitReplySent(stamp, millis);
    }

    /**
     * Receives one message without ever blocking inside the engine: an empty queue is waited for outside the socket's
     * lock. Call between {@link #enter()} and {@link #exit(long)}; counts the message.
     *
     * @param deadlineNanos the {@link System#nanoTime()} to give up at ({@code Long.MAX_VALUE}: never)
     * @return the message, or {@code null} at the deadline
     */
    public Msg receiveWithoutBlocking(long deadlineNanos, String operation) {
        return this.calls.receive(deadlineNanos, operation);
    }

    /**
     * Receives one whole message (all its frames) for a caller that waits for a reply, such as a request exchange,
     * waiting inside the engine while no other thread wants the socket (see {@link SocketLock#receiveInEngine}).
     * Only for a socket no reading loop reads. Counts the message.
     *
     * @return the frames, or {@code null} at the deadline
     */
    public byte[][] receiveFramesWaitingInEngine(long deadlineNanos, String operation) {
        return this.calls.receiveFramesWaitingInEngine(deadlineNanos, operation);
    }

    /**
     * Receives one whole message (all its frames) as {@link #receiveWithoutBlocking(long, String)} does; counts it.
     *
     * @return the frames, or {@code null} at the deadline
     */
    public byte[][] receiveFramesWithoutBlocking(long deadlineNanos, String operation) {
        return this.calls.receiveFrames(deadlineNanos, operation);
    }

    /** The frames of the message whose first frame is {@code first} (the engine queues a message whole). */
    byte[][] remainingFrames(Msg first, String operation) {
        return this.calls.remainingFrames(first, operation);
    }

    /** Whether the socket is closed. */
    public boolean isClosed() {
        return this.state.isClosed();
    }

    /**
     * Begins an operation: on a shared socket, takes the socket's lock (one CAS when nobody else holds it); on an
     * unshared one, the gate's read lock.
     *
     * @return the stamp to pass to {@link #exit(long)}
     * @throws ZmqException {@code ENOTSOCK} or {@code ETERM} when the socket is closed
     */
    public long enter() {
        return this.access.enter();
    }

    /** Ends an operation begun with {@link #enter()}. */
    public void exit(long stamp) {
        this.access.exit(stamp);
    }

    /**
     * Releases the socket's lock while the calling thread waits or runs a reader's handler, so that other threads can
     * use the socket meanwhile; a no-op for an unshared socket.
     *
     * @return how many holds were released, for {@link #reacquireShared(int)}
     */
    int releaseShared() {
        return this.access.releaseShared();
    }

    /**
     * Takes back the holds {@link #releaseShared()} released.
     *
     * @throws ZmqException {@code ENOTSOCK} or {@code ETERM} when the socket closed meanwhile (the holds are taken
     *         back all the same, for the caller's {@link #exit(long)})
     */
    void reacquireShared(int holds) {
        this.access.reacquireShared(holds);
    }

    /**
     * Whether this is a shared socket of a type the engine does not make thread-safe: it may carry multipart messages,
     * and its lock must be released around a reader's work.
     */
    boolean isSharedConfined() {
        return this.access.isConfined();
    }

    /**
     * Begins an operation of the socket's one reading thread (see {@link #receiveAsReader()}); other threads'
     * operations use {@link #enter()}. Holds the gate (a close waits for the reader's message in hand) and, for a
     * shared confined socket, its lock.
     *
     * @return the stamp to pass to {@link #exitAsReader(long)}
     * @throws ZmqException {@code ENOTSOCK} or {@code ETERM} when the socket is closed
     */
    long enterAsReader() {
        return this.access.enterAsReader();
    }

    /** Ends an operation begun with {@link #enterAsReader()}. */
    void exitAsReader(long stamp) {
        this.access.exitAsReader(stamp);
    }

    /**
     * Prepares the socket for {@link #receiveAsReader()}: the engine's receive timeout becomes the longest a
     * reading thread's wait inside the engine lasts when nothing cancels it. Call once, between
     * {@link #enterAsReader()} and {@link #exitAsReader(long)}, before reading; the socket's own receive calls
     * ({@link #receiveWithoutBlocking}) do not use that timeout.
     */
    void prepareReader(int waitSliceMillis) {
        this.base.setSocketOpt(zmq.ZMQ.ZMQ_RCVTIMEO, waitSliceMillis);
    }

    /**
     * Receives one message on the socket's one reading thread (between {@link #enterAsReader()} and
     * {@link #exitAsReader(long)}). While no other thread uses the socket, it waits inside the engine, as the
     * engine's own blocking receive does (which consumes its wake-up signal properly and is the fastest way to
     * wait); an operation of another thread ({@link #enter()}) cancels that wait at once, since the engine holds
     * its lock while it waits. While other threads use the socket, it only takes what is there.
     *
     * @return the message (not counted in {@link #traffic()}: the reading thread counts each message it takes), or
     *         {@code null} with the engine's {@code errno}: {@code EAGAIN} when nothing
     *         came (the caller waits with {@link #awaitSignal} when others use the socket, or simply retries),
     *         {@code ECANCELED} when another thread (or a stop or close) needs the socket, anything else when it is
     *         gone
     */
    Msg receiveAsReader() {
        return this.access.receiveInEngine(this.canceled);
    }

    /** Whether other threads than the reading thread use the socket right now. */
    boolean hasOtherCallers() {
        return this.access.hasOtherCallers();
    }

    /** Ends the reading thread's wait inside the engine, if any (for another caller or a stop). */
    void wakeReader() {
        this.access.wakeReader();
    }

    /**
     * Binds {@code endpoint}, over the engine's transports or this project's ({@link Transports}), and returns it
     * resolved (a port or path of {@code *} replaced by the one bound). The caller holds the gate.
     *
     * @throws ZmqException with libzmq's error, naming this socket
     */
    public String bind(String endpoint) {
        return EngineEndpoints.bind(this.state, endpoint);
    }

    /** Stops listening on a bound endpoint; false when refused (nothing to undo then). The caller holds the gate. */
    public boolean unbind(String endpoint) {
        return EngineEndpoints.unbind(this.base, endpoint);
    }

    /**
     * The exception for the engine's last error on this socket; a cancelled call reports why the socket closed.
     */
    public ZmqException lastError(String operation) {
        return this.state.lastError(operation);
    }

    /** The exception a call on the closed socket gets. */
    public ZmqException closedException() {
        return this.state.closedException();
    }

    /**
     * Closes the socket; idempotent. Blocked calls are cancelled; calls in progress finish first.
     *
     * @param reason what later calls report: {@code ENOTSOCK} or {@code ETERM}
     */
    public void close(ZmqError reason) {
        if (!this.state.markClosed(reason)) {
            return;
        }
        this.base.cancel(this.canceled);
        this.access.cancelReader();
        long stamp = this.access.lockGateForClose(CLOSE_WAIT_SECONDS);
        boolean locked = stamp != 0 && this.access.lockSharedForClose(CLOSE_WAIT_SECONDS);
        if (!locked) {
            logger.warn("Socket '" + this.name + "' still had a call in progress after " + CLOSE_WAIT_SECONDS
                    + " s; closing it anyway");
        }
        try {
            if (SENDS_ONLY_SUBSCRIPTIONS.contains(this.type)) {
                this.base.setSocketOpt(zmq.ZMQ.ZMQ_LINGER, 0);
            }
            this.socket.close();
        }
        finally {
            Transports.forget(this.base);
            SecurityLog.forget(this.base); // what the one-line-a-minute rule left out is logged now
            this.access.unlockAfterClose(stamp, locked);
            this.contextManager.release(this);
        }
    }

    @Override
    public long lingerMillis() {
        return this.options.linger().toMillis();
    }

    /**
     * Routes {@link #closeForTermination()} (called by the context manager, from its own thread) through
     * {@code delegate} instead of closing here: for an unshared socket that its one thread must close itself (a
     * proxy's). The delegate ends in {@code close(ETERM)} on that thread.
     */
    public void setCloseDelegate(Runnable delegate) {
        this.closeDelegate = delegate;
    }

    @Override
    public void closeForTermination() {
        Runnable delegate = this.closeDelegate;
        if (delegate != null) {
            delegate.run();
        }
        else {
            close(ZmqError.ETERM);
        }
    }

    @Override
    public String toString() {
        return this.type + " '" + this.name + "'";
    }
}
