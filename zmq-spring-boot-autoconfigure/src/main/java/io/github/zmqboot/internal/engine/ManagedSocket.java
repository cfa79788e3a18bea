package io.github.zmqboot.internal.engine;

import java.nio.channels.SelectableChannel;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.StampedLock;
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
import zmq.ZError;

/**
 * One configured engine socket and the guard that makes using and closing it safe from any thread.
 * <p>
 * Every operation runs between {@link #enter()} and {@link #exit(long)}. A socket
 * {@linkplain ZmqSocketFactory#createSharedSocket shared} between threads (every bean's) holds its lock between the
 * two, the engine's own socket lock: for a type the engine makes thread-safe the engine takes it again inside each
 * call (reentrant), and for any other type (PUSH, PUB, DEALER, ...) it is what makes the socket safe to use from many
 * threads, libzmq's rule being that such a socket may move between threads given a full memory barrier. Every engine
 * call is non-blocking; a wait (a full queue, no message yet) happens with the lock released, on the socket
 * mailbox's signal, so one thread's wait never stops another's call. An unshared socket (a proxy's, used by one
 * thread) holds a shared read lock of the gate instead.
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

    /** Longest wait between two retries of a non-blocking call: bounds the cost of a consumed wake-up. */
    private static final long WAIT_SLICE_MILLIS = 20;

    /** The longest single wait inside the engine of {@link #receiveFramesWaitingInEngine}. */
    private static final int ENGINE_WAIT_SLICE_MILLIS = 1000;

    /** What {@link #enter()} returns for a shared socket (its lock needs no stamp). */
    private static final long SHARED_STAMP = 1;

    /** Busy checks of a contended shared lock before yielding: a non-blocking engine call lasts well under 1 us. */
    private static final int LOCK_SPINS = 64;

    /** Yields to other threads (the holder, if preempted) before parking on a contended shared lock. */
    private static final int LOCK_YIELDS = 16;

    private final String name;

    private final SocketType type;

    private final ZMQ.Socket socket;

    private final SocketBase base;

    private final SocketOptions options;

    private final ZmqContextManager contextManager;

    private final AtomicBoolean canceled = new AtomicBoolean();

    /** Cancels the reading thread's wait inside the engine, so that another thread can take the engine's lock. */
    private final AtomicBoolean readerCancellation = new AtomicBoolean();

    /** Operations of other threads than the reading thread in progress or about to start. */
    private final AtomicInteger callers = new AtomicInteger();

    /** Whether the reading thread is (about to be) blocked inside the engine, holding the engine's lock. */
    private volatile boolean readerInEngine;

    private final StampedLock gate = new StampedLock();

    /**
     * For a socket shared between threads: the lock held between {@link #enter()} and {@link #exit(long)}, the
     * engine's own socket lock (which the engine takes inside every call of a thread-safe type, and not at all for
     * other types, so that {@link #underEngineLock} means the same for every socket). Null for an unshared socket
     * (one thread uses it: a proxy's), whose operations hold the gate's read lock instead.
     */
    private final ReentrantLock socketLock;

    /** Whether this shared socket's type is one the engine does not make thread-safe (the lock is all it has). */
    private final boolean confined;

    /** The thread waiting for a REP socket's reply to be sent before it can receive again, if any. */
    private volatile Thread replyWaiter;

    private final SocketTraffic traffic;

    private volatile ZmqError closedError;

    private volatile SelectableChannel signalChannel;

    private final FrameSizeGuard frameSizeGuard;

    private final SocketEventHook events;

    private volatile Runnable closeDelegate;


    ManagedSocket(String name, SocketType type, ZMQ.Socket socket, SocketOptions options,
            ZmqContextManager contextManager, FrameSizeGuard frameSizeGuard, SocketEventHook events, boolean shared,
            SocketTraffic traffic) {
        this.socketLock = shared ? (ReentrantLock) EngineInternals.lock(socket.base()) : null;
        this.confined = shared && !EngineInternals.isThreadSafe(socket.base());
        this.traffic = traffic;
        this.events = events;
        this.frameSizeGuard = frameSizeGuard;
        this.name = name;
        this.type = type;
        this.socket = socket;
        this.base = socket.base();
        this.options = options;
        this.contextManager = contextManager;
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
        Lock lock = EngineInternals.lock(this.base);
        lock.lock();
        try {
            return action.get();
        }
        finally {
            lock.unlock();
        }
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
        if (Transports.handles(endpoint)) {
            connectTransport(endpoint);
            return true;
        }
        return underEngineLock(() -> this.base.connect(endpoint));
    }

    /**
     * The engine's {@code connectPeer}, routed as {@link #connect(String)}: returns the new connection's routing id at
     * once, also for a host name that does not resolve yet, as libzmq's {@code zmq_connect_peer} does; 0 when the
     * engine refused (its errno tells why).
     */
    public int connectPeer(String endpoint) {
        if (Transports.handles(endpoint)) {
            return connectTransport(endpoint);
        }
        return underEngineLock(() -> this.base.connectPeer(endpoint));
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
     * Waits, without holding the engine's lock, until something reaches this thread-safe socket (a message, free
     * queue space, a cancellation) or {@code millis} passed, on {@code waiter}. Callers retry their
     * non-blocking engine call after it: the engine's blocking calls hold its lock while they wait, which would stop
     * every other thread using the socket (JeroMQ 0.6.0).
     */
    void awaitSignal(SignalWaiter waiter, long millis) {
        SelectableChannel channel = this.signalChannel;
        if (channel == null) {
            channel = EngineInternals.signalChannel(this.base);
            this.signalChannel = channel;
        }
        if (Thread.currentThread().isInterrupted()) {
            // libzmq's answer to a signal during a blocking call; the interrupt stays set for the caller
            throw new ZmqException(ZmqError.EINTR, this.name + ": interrupted while waiting");
        }
        int holds = releaseShared();
        try {
            waiter.await(channel, millis);
        }
        finally {
            reacquireShared(holds);
        }
    }

    /**
     * Sends one message on a thread-safe socket without ever blocking inside the engine (whose blocking send would
     * hold the socket's lock and stop every other thread): a full queue is waited for outside the lock, up to the
     * socket's send timeout. Call between {@link #enter()} and {@link #exit(long)}; counts the message when sent.
     *
     * @throws ZmqException {@code EAGAIN} when the send timeout expired, or the engine's error
     */
    public void sendWithoutBlocking(Msg msg, String operation) {
        int size = msg.size();
        if (!this.base.send(msg, zmq.ZMQ.ZMQ_DONTWAIT, this.canceled)) {
            awaitFirstFrameSent(msg, 0, operation);
        }
        countSent(size);
        sent();
    }

    /**
     * Sends one message of one or more frames as {@link #sendWithoutBlocking(Msg, String)} does: only its first frame
     * can meet a full queue (the engine takes the rest of a message it began), so a wait happens before any frame is
     * queued, and the frames of one message are never interleaved with another thread's.
     */
    public void sendWithoutBlocking(byte[][] frames, String operation) {
        int last = frames.length - 1;
        if (last == 0) {
            sendWithoutBlocking(new Msg(frames[0]), operation);
            return;
        }
        Msg first = new Msg(frames[0]);
        if (!this.base.send(first, zmq.ZMQ.ZMQ_DONTWAIT | zmq.ZMQ.ZMQ_SNDMORE, this.canceled)) {
            awaitFirstFrameSent(first, zmq.ZMQ.ZMQ_SNDMORE, operation);
        }
        for (int i = 1; i <= last; i++) {
            int flags = zmq.ZMQ.ZMQ_DONTWAIT | (i < last ? zmq.ZMQ.ZMQ_SNDMORE : 0);
            if (!this.base.send(new Msg(frames[i]), flags, this.canceled)) {
                throw lastError(operation + " (frame " + (i + 1) + " of " + frames.length + ")");
            }
        }
        countSent(SocketTraffic.size(frames));
        sent();
    }

    /**
     * The slow path of a send whose first frame met a full queue ({@code EAGAIN}): waits outside the lock and
     * retries until the socket takes it or its send timeout passes.
     *
     * @throws ZmqException {@code EAGAIN} when the send timeout expired, or the engine's error
     */
    private void awaitFirstFrameSent(Msg msg, int moreFlag, String operation) {
        requireAgain(msg, operation);
        long timeoutMillis = this.options.sendTimeout().toMillis();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        SignalWaiter waiter = SignalWaiter.forCurrentThread();
        do {
            long remaining = timeoutMillis < 0 ? WAIT_SLICE_MILLIS
                    : TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (remaining <= 0) {
                throw sendTimedOut(operation, timeoutMillis);
            }
            awaitSignal(waiter, Math.min(remaining, WAIT_SLICE_MILLIS));
            if (this.closedError != null) {
                throw closedException();
            }
            if (this.base.send(msg, zmq.ZMQ.ZMQ_DONTWAIT | moreFlag, this.canceled)) {
                waiter.progressed();
                return;
            }
            requireAgain(msg, operation);
        }
        while (true);
    }

    private ZmqException sendTimedOut(String operation, long timeoutMillis) {
        return new ZmqException(ZmqError.EAGAIN, this.name + ": " + operation + " failed: the message could not be "
                + "queued within the send timeout (" + timeoutMillis + " ms); the high-water mark is reached or no "
                + "peer is connected");
    }

    private void countSent(long bytes) {
        if (this.socketLock != null) {
            this.traffic.sentUnderLock(bytes);
        }
        else {
            this.traffic.sent(bytes);
        }
    }

    private void countReceived(long bytes) {
        if (this.socketLock != null) {
            this.traffic.receivedUnderLock(bytes);
        }
        else {
            this.traffic.received(bytes);
        }
    }

    /** After a send: a reading thread waiting for a REP's reply may receive again. */
    private void sent() {
        Thread waiting = this.replyWaiter;
        if (waiting != null) {
            java.util.concurrent.locks.LockSupport.unpark(waiting);
        }
    }

    /**
     * For the reading thread of a REP socket whose last request is not answered yet ({@code EFSM}): waits, outside
     * the locks, until a reply is sent on the socket (by a handler on another thread) or {@code millis} passed.
     */
    void awaitReplySent(long stamp, long millis) {
        this.replyWaiter = Thread.currentThread();
        try {
            exitAsReader(stamp);
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
        }
        finally {
            this.replyWaiter = null;
        }
    }

    /**
     * Receives one message from a thread-safe socket without ever blocking inside the engine: an empty queue is waited
     * for outside the engine's lock. Call between {@link #enter()} and {@link #exit(long)}; counts the message.
     *
     * @param deadlineNanos the {@link System#nanoTime()} to give up at ({@code Long.MAX_VALUE}: never)
     * @return the message, or {@code null} at the deadline
     */
    public Msg receiveWithoutBlocking(long deadlineNanos, String operation) {
        SignalWaiter waiter = null;
        while (true) {
            Msg msg = this.base.recv(zmq.ZMQ.ZMQ_DONTWAIT, this.canceled);
            if (msg != null) {
                if (waiter != null) {
                    waiter.progressed();
                }
                countReceived(msg.size());
                return msg;
            }
            requireAgain(operation);
            long remaining = deadlineNanos == Long.MAX_VALUE ? WAIT_SLICE_MILLIS
                    : TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
            if (remaining <= 0) {
                return null;
            }
            if (waiter == null) {
                waiter = SignalWaiter.forCurrentThread();
            }
            // in slices: another thread's engine call may consume the signal this thread waits for
            awaitSignal(waiter, Math.min(remaining, WAIT_SLICE_MILLIS));
        }
    }

    /**
     * Receives one whole message (all its frames) for a caller that waits for a reply, such as a request exchange:
     * while no other thread wants the socket, it waits <em>inside</em> the engine, holding the socket's lock, as the
     * reading loop does (the engine's own wait is the fastest, and free of phantom wake-ups); another thread's call
     * cancels that wait through the reader's cancellation token, and the wait goes on outside the lock. Only for a
     * socket no reading loop reads (its token is the loop's). Counts the message.
     *
     * @return the frames, or {@code null} at the deadline
     */
    public byte[][] receiveFramesWaitingInEngine(long deadlineNanos, String operation) {
        while (true) {
            long remaining = deadlineNanos == Long.MAX_VALUE ? ENGINE_WAIT_SLICE_MILLIS
                    : TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
            if (remaining <= 0) {
                return null;
            }
            Msg first;
            this.readerInEngine = true;
            try {
                // announced first, then checked: a contending caller either sees the announcement or is seen here
                if (this.callers.get() > 0) {
                    break; // others queue for the socket: wait outside the lock
                }
                this.base.setSocketOpt(zmq.ZMQ.ZMQ_RCVTIMEO, (int) Math.min(remaining, ENGINE_WAIT_SLICE_MILLIS));
                first = this.base.recv(0, this.readerCancellation);
            }
            finally {
                this.readerInEngine = false;
            }
            if (first != null) {
                byte[][] frames = remainingFrames(first, operation);
                countReceived(SocketTraffic.size(frames));
                return frames;
            }
            int errno = this.base.errno();
            if (errno == ZError.ECANCELED) {
                if (this.closedError != null) {
                    throw closedException();
                }
                this.readerCancellation.set(false); // a contending caller's: it takes the lock next
                break;
            }
            if (errno != ZError.EAGAIN) {
                throw lastError(operation);
            }
        }
        return receiveFramesWithoutBlocking(deadlineNanos, operation);
    }

    /**
     * Receives one whole message (all its frames) as {@link #receiveWithoutBlocking(long, String)} does; counts it.
     *
     * @return the frames, or {@code null} at the deadline
     */
    public byte[][] receiveFramesWithoutBlocking(long deadlineNanos, String operation) {
        SignalWaiter waiter = null;
        while (true) {
            Msg first = this.base.recv(zmq.ZMQ.ZMQ_DONTWAIT, this.canceled);
            if (first != null) {
                if (waiter != null) {
                    waiter.progressed();
                }
                byte[][] frames = remainingFrames(first, operation);
                countReceived(SocketTraffic.size(frames));
                return frames;
            }
            requireAgain(operation);
            long remaining = deadlineNanos == Long.MAX_VALUE ? WAIT_SLICE_MILLIS
                    : TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
            if (remaining <= 0) {
                return null;
            }
            if (waiter == null) {
                waiter = SignalWaiter.forCurrentThread();
            }
            awaitSignal(waiter, Math.min(remaining, WAIT_SLICE_MILLIS));
        }
    }

    /** The frames of the message whose first frame is {@code first} (the engine queues a message whole). */
    byte[][] remainingFrames(Msg first, String operation) {
        if (!first.hasMore()) {
            return new byte[][] { first.data() };
        }
        java.util.ArrayList<byte[]> frames = new java.util.ArrayList<>(4);
        frames.add(first.data());
        Msg part = first;
        while (part.hasMore()) {
            part = this.base.recv(zmq.ZMQ.ZMQ_DONTWAIT, this.canceled);
            if (part == null) {
                throw lastError(operation + " of a multipart message");
            }
            frames.add(part.data());
        }
        return frames.toArray(byte[][]::new);
    }

    private void requireAgain(String operation) {
        if (this.base.errno() != ZError.EAGAIN) {
            throw lastError(operation);
        }
    }

    private void requireAgain(Msg msg, String operation) {
        if (this.base.errno() != ZError.EAGAIN) {
            int routingId = msg.getRoutingId();
            throw lastError(routingId != 0 ? operation + " to routing id " + routingId : operation);
        }
    }

    /** Whether the socket is closed. */
    public boolean isClosed() {
        return this.closedError != null;
    }

    /**
     * Begins an operation: on a shared socket, takes the socket's lock (one CAS when nobody else holds it); on an
     * unshared one, the gate's read lock.
     *
     * @return the stamp to pass to {@link #exit(long)}
     * @throws ZmqException {@code ENOTSOCK} or {@code ETERM} when the socket is closed
     */
    public long enter() {
        ReentrantLock lock = this.socketLock;
        if (lock == null) {
            return enterGate();
        }
        if (!lock.tryLock()) {
            enterContended(lock);
        }
        if (this.closedError != null) {
            lock.unlock();
            throw closedException();
        }
        return SHARED_STAMP;
    }

    /** Ends an operation begun with {@link #enter()}. */
    public void exit(long stamp) {
        ReentrantLock lock = this.socketLock;
        if (lock != null) {
            lock.unlock();
            return;
        }
        this.gate.unlockRead(stamp);
        this.callers.decrementAndGet();
    }

    private long enterGate() {
        this.callers.incrementAndGet();
        long stamp = this.gate.readLock();
        if (this.closedError != null) {
            this.gate.unlockRead(stamp);
            this.callers.decrementAndGet();
            throw closedException();
        }
        return stamp;
    }

    /**
     * Another thread holds the socket's lock: the reading thread, maybe, waiting inside the engine (cancel that wait),
     * or a caller in the middle of a call. Counted meanwhile, so that the reading thread does not wait inside the
     * engine again while others queue for the socket.
     */
    private void enterContended(ReentrantLock lock) {
        this.callers.incrementAndGet();
        try {
            if (this.readerInEngine) {
                wakeReader();
            }
            acquireContended(lock);
        }
        finally {
            this.callers.decrementAndGet();
        }
    }

    /**
     * Takes a contended socket lock. Another thread holds it for one short non-blocking engine call (or the reading
     * thread for its wait inside the engine, which was cancelled): spin, then yield, and park only when that did not
     * do. Parking at once, as {@link ReentrantLock#lock()} does, would cost every contended call two context switches,
     * ten times the call itself.
     */
    private static void acquireContended(ReentrantLock lock) {
        for (int i = 0; i < LOCK_SPINS; i++) {
            Thread.onSpinWait();
            if (!lock.isLocked() && lock.tryLock()) {
                return;
            }
        }
        for (int i = 0; i < LOCK_YIELDS; i++) {
            Thread.yield();
            if (lock.tryLock()) {
                return;
            }
        }
        lock.lock();
    }

    /**
     * Releases the socket's lock while the calling thread waits or runs a reader's handler, so that other threads can
     * use the socket meanwhile; a no-op for an unshared socket.
     *
     * @return how many holds were released, for {@link #reacquireShared(int)}
     */
    int releaseShared() {
        ReentrantLock lock = this.socketLock;
        if (lock == null || !lock.isHeldByCurrentThread()) {
            return 0;
        }
        int holds = lock.getHoldCount();
        for (int i = 0; i < holds; i++) {
            lock.unlock();
        }
        return holds;
    }

    /**
     * Takes back the holds {@link #releaseShared()} released.
     *
     * @throws ZmqException {@code ENOTSOCK} or {@code ETERM} when the socket closed meanwhile (the holds are taken
     *         back all the same, for the caller's {@link #exit(long)})
     */
    void reacquireShared(int holds) {
        if (holds == 0) {
            return;
        }
        ReentrantLock lock = this.socketLock;
        if (!lock.tryLock()) {
            enterContended(lock);
        }
        for (int i = 1; i < holds; i++) {
            lock.lock(); // reentrant: held already
        }
        if (this.closedError != null) {
            throw closedException();
        }
    }

    /** Whether this is a shared socket of a type the engine does not make thread-safe: it may carry multipart messages, and its lock must be released around a reader's work. */
    boolean isSharedConfined() {
        return this.confined;
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
        long stamp = this.gate.readLock();
        if (this.closedError != null) {
            this.gate.unlockRead(stamp);
            throw closedException();
        }
        if (this.confined) {
            ReentrantLock lock = this.socketLock;
            if (!lock.tryLock()) {
                acquireContended(lock);
            }
        }
        return stamp;
    }

    /** Ends an operation begun with {@link #enterAsReader()}. */
    void exitAsReader(long stamp) {
        if (this.confined) {
            this.socketLock.unlock();
        }
        this.gate.unlockRead(stamp);
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
        this.readerInEngine = true;
        try {
            // announced first, then checked: a caller either sees the announcement or is seen here
            if (this.callers.get() > 0) {
                return this.base.recv(zmq.ZMQ.ZMQ_DONTWAIT, this.canceled);
            }
            Msg msg = this.base.recv(0, this.readerCancellation);
            if (msg == null && this.base.errno() == ZError.ECANCELED && this.closedError == null) {
                this.readerCancellation.set(false); // a caller's (or a stop's) cancellation, taken
            }
            return msg;
        }
        finally {
            this.readerInEngine = false;
        }
    }

    /** Whether other threads than the reading thread use the socket right now. */
    boolean hasOtherCallers() {
        return this.callers.get() > 0;
    }

    /**
     * Ends the reading thread's wait inside the engine, if any (for another caller or a stop). A no-op on a socket
     * that is closing or closed: its close cancels the wait itself, and the engine fails on a closed socket's cancel.
     */
    void wakeReader() {
        long stamp = this.gate.tryReadLock();
        if (stamp == 0) {
            return; // a close holds the gate
        }
        try {
            if (this.closedError == null) {
                this.base.cancel(this.readerCancellation);
            }
        }
        finally {
            this.gate.unlockRead(stamp);
        }
    }

    /**
     * Binds {@code endpoint}, over the engine's transports or this project's ({@link Transports}), and returns it
     * resolved (a port or path of {@code *} replaced by the one bound). The caller holds the gate.
     *
     * @throws ZmqException with libzmq's error, naming this socket
     */
    public String bind(String endpoint) {
        if (Transports.handles(endpoint)) {
            try {
                return Transports.bind(this.base, endpoint);
            }
            catch (ZmqException ex) {
                throw new ZmqException(ex.error(), this.name + ": bind to '" + endpoint + "' failed: "
                        + ex.getMessage(), ex);
            }
        }
        boolean bound;
        try {
            bound = this.base.bind(endpoint);
        }
        catch (IllegalArgumentException ex) {
            throw new ZmqException(ZmqError.EINVAL, this.name + ": invalid endpoint '" + endpoint + "'", ex);
        }
        catch (org.zeromq.ZMQException ex) {
            throw new ZmqException(ZmqError.fromErrno(ex.getErrorCode()),
                    this.name + ": bind to '" + endpoint + "' failed", ex);
        }
        if (!bound) {
            throw lastError("bind to '" + endpoint + "'");
        }
        return (String) this.base.getSocketOptx(zmq.ZMQ.ZMQ_LAST_ENDPOINT);
    }

    /** Stops listening on a bound endpoint; false when refused (nothing to undo then). The caller holds the gate. */
    public boolean unbind(String endpoint) {
        try {
            return Transports.handles(endpoint) ? Transports.unbind(this.base, endpoint)
                    : this.base.termEndpoint(endpoint);
        }
        catch (RuntimeException ex) {
            return false;
        }
    }

    /** Connects an endpoint of a transport this project adds to the engine; returns a PEER's routing id (else 0). */
    private int connectTransport(String endpoint) {
        try {
            return Transports.connect(this.base, endpoint);
        }
        catch (ZmqException ex) {
            throw new ZmqException(ex.error(),
                    this.name + ": connect to '" + endpoint + "' failed: " + ex.getMessage(), ex);
        }
    }

    /**
     * The exception for the engine's last error on this socket; a cancelled call reports why the socket closed.
     */
    public ZmqException lastError(String operation) {
        int errno = this.base.errno();
        if (errno == ZError.ECANCELED || this.closedError != null || this.contextManager.isTerminated()) {
            return closedException();
        }
        ZmqError error = ZmqError.fromErrno(errno);
        String detail = error == ZmqError.EUNKNOWN ? " (engine errno " + errno + ")" : "";
        return new ZmqException(error, this.name + ": " + operation + " failed" + detail);
    }

    /** The exception a call on the closed socket gets. */
    public ZmqException closedException() {
        ZmqError error = this.closedError;
        if (error == ZmqError.ETERM || this.contextManager.isTerminated()) {
            return new ZmqException(ZmqError.ETERM, "socket '" + this.name + "': the ZeroMQ context is terminated");
        }
        return new ZmqException(ZmqError.ENOTSOCK, "socket '" + this.name + "' is closed");
    }

    /**
     * Closes the socket; idempotent. Blocked calls are cancelled; calls in progress finish first.
     *
     * @param reason what later calls report: {@code ENOTSOCK} or {@code ETERM}
     */
    public void close(ZmqError reason) {
        synchronized (this) {
            if (this.closedError != null) {
                return;
            }
            this.closedError = reason;
        }
        this.base.cancel(this.canceled);
        this.base.cancel(this.readerCancellation);
        long stamp = 0;
        try {
            stamp = this.gate.tryWriteLock(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        boolean locked = stamp != 0 && lockForClose();
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
            if (locked && this.socketLock != null) {
                this.socketLock.unlock();
            }
            if (stamp != 0) {
                this.gate.unlockWrite(stamp);
            }
            this.contextManager.release(this);
        }
    }

    /** For a close: waits for a shared socket's call in progress (its waits were cancelled); true when locked. */
    private boolean lockForClose() {
        if (this.socketLock == null) {
            return true;
        }
        try {
            return this.socketLock.tryLock(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
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
