package io.github.zmqboot.internal.engine;

import java.nio.channels.SelectableChannel;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.zmqboot.core.ZmqError;
import io.github.zmqboot.core.ZmqException;
import zmq.Msg;
import zmq.SocketBase;
import zmq.ZError;

/**
 * The sends and receives of a {@link ManagedSocket} that never block inside the engine, whose blocking calls would
 * hold the socket's lock while they wait and stop every other thread using the socket (JeroMQ 0.6.0): a full queue
 * or an empty one is waited for on the socket mailbox's signal with the lock released, in slices (another thread's
 * call may consume the signal), up to the socket's timeout. A caller that waits for a reply may wait inside the
 * engine instead, while no other thread wants the socket ({@link SocketLock#receiveInEngine}). Each message is
 * counted when it is sent or taken.
 */
final class NonBlockingCalls {

    /** Longest wait between two retries of a non-blocking call: bounds the cost of a consumed wake-up. */
    private static final long WAIT_SLICE_MILLIS = 20;

    /** The longest single wait inside the engine of {@link #receiveFramesWaitingInEngine}. */
    private static final int ENGINE_WAIT_SLICE_MILLIS = 1000;

    private final SocketState socket;

    private final SocketLock access;

    private final SocketBase base;

    private final String name;

    private final SocketOptions options;

    private final AtomicBoolean canceled;

    private final SocketTraffic traffic;

    /** Whether the socket is shared between threads (its traffic is counted under its lock). */
    private final boolean shared;

    private volatile SelectableChannel signalChannel;

    /** The thread waiting for a REP socket's reply to be sent before it can receive again, if any. */
    private volatile Thread replyWaiter;

    NonBlockingCalls(SocketState socket, SocketOptions options, SocketLock access, AtomicBoolean canceled,
            SocketTraffic traffic) {
        this.socket = socket;
        this.access = access;
        this.base = socket.base();
        this.name = socket.name();
        this.options = options;
        this.canceled = canceled;
        this.traffic = traffic;
        this.shared = access.isShared();
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
        int holds = this.access.releaseShared();
        try {
            waiter.await(channel, millis);
        }
        finally {
            this.access.reacquireShared(holds);
        }
    }

    /**
     * Sends one message on a thread-safe socket without ever blocking inside the engine (whose blocking send would
     * hold the socket's lock and stop every other thread): a full queue is waited for outside the lock, up to the
     * socket's send timeout. Call between {@link ManagedSocket#enter()} and {@link ManagedSocket#exit(long)}; counts
     * the message when sent.
     *
     * @throws ZmqException {@code EAGAIN} when the send timeout expired, or the engine's error
     */
    void send(Msg msg, String operation) {
        int size = msg.size();
        if (!this.base.send(msg, zmq.ZMQ.ZMQ_DONTWAIT, this.canceled)) {
            awaitFirstFrameSent(msg, 0, operation);
        }
        countSent(size);
        sent();
    }

    /**
     * Sends one message of one or more frames as {@link #send(Msg, String)} does: only its first frame
     * can meet a full queue (the engine takes the rest of a message it began), so a wait happens before any frame is
     * queued, and the frames of one message are never interleaved with another thread's.
     */
    void send(byte[][] frames, String operation) {
        int last = frames.length - 1;
        if (last == 0) {
            send(new Msg(frames[0]), operation);
            return;
        }
        Msg first = new Msg(frames[0]);
        if (!this.base.send(first, zmq.ZMQ.ZMQ_DONTWAIT | zmq.ZMQ.ZMQ_SNDMORE, this.canceled)) {
            awaitFirstFrameSent(first, zmq.ZMQ.ZMQ_SNDMORE, operation);
        }
        for (int i = 1; i <= last; i++) {
            int flags = zmq.ZMQ.ZMQ_DONTWAIT | (i < last ? zmq.ZMQ.ZMQ_SNDMORE : 0);
            if (!this.base.send(new Msg(frames[i]), flags, this.canceled)) {
                throw this.socket.lastError(operation + " (frame " + (i + 1) + " of " + frames.length + ")");
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
            if (this.socket.isClosed()) {
                throw this.socket.closedException();
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
        if (this.shared) {
            this.traffic.sentUnderLock(bytes);
        }
        else {
            this.traffic.sent(bytes);
        }
    }

    private void countReceived(long bytes) {
        if (this.shared) {
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
            this.access.exitAsReader(stamp);
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
        }
        finally {
            this.replyWaiter = null;
        }
    }

    /**
     * Receives one message from a thread-safe socket without ever blocking inside the engine: an empty queue is waited
     * for outside the engine's lock. Call between {@link ManagedSocket#enter()} and {@link ManagedSocket#exit(long)};
     * counts the message.
     *
     * @param deadlineNanos the {@link System#nanoTime()} to give up at ({@code Long.MAX_VALUE}: never)
     * @return the message, or {@code null} at the deadline
     */
    Msg receive(long deadlineNanos, String operation) {
        Msg msg = awaitFirstFrame(deadlineNanos, operation);
        if (msg != null) {
            countReceived(msg.size());
        }
        return msg;
    }

    /**
     * Takes the first frame of the next message without blocking inside the engine, waiting for one outside the
     * engine's lock up to the deadline; {@code null} at the deadline.
     */
    private Msg awaitFirstFrame(long deadlineNanos, String operation) {
        SignalWaiter waiter = null;
        while (true) {
            Msg msg = this.base.recv(zmq.ZMQ.ZMQ_DONTWAIT, this.canceled);
            if (msg != null) {
                if (waiter != null) {
                    waiter.progressed();
                }
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
    byte[][] receiveFramesWaitingInEngine(long deadlineNanos, String operation) {
        while (true) {
            long remaining = deadlineNanos == Long.MAX_VALUE ? ENGINE_WAIT_SLICE_MILLIS
                    : TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
            if (remaining <= 0) {
                return null;
            }
            this.base.setSocketOpt(zmq.ZMQ.ZMQ_RCVTIMEO, (int) Math.min(remaining, ENGINE_WAIT_SLICE_MILLIS));
            Msg first = this.access.receiveInEngine(this.canceled);
            if (first != null) {
                byte[][] frames = remainingFrames(first, operation);
                countReceived(SocketTraffic.size(frames));
                return frames;
            }
            int errno = this.base.errno();
            if (errno == ZError.ECANCELED) {
                if (this.socket.isClosed()) {
                    throw this.socket.closedException();
                }
                break; // a contending caller's cancellation: it takes the lock next
            }
            if (errno != ZError.EAGAIN) {
                throw this.socket.lastError(operation);
            }
            if (this.access.hasOtherCallers()) {
                break; // others queue for the socket: wait outside the lock
            }
        }
        return receiveFrames(deadlineNanos, operation);
    }

    /**
     * Receives one whole message (all its frames) as {@link #receive(long, String)} does; counts it.
     *
     * @return the frames, or {@code null} at the deadline
     */
    byte[][] receiveFrames(long deadlineNanos, String operation) {
        Msg first = awaitFirstFrame(deadlineNanos, operation);
        if (first == null) {
            return null;
        }
        byte[][] frames = remainingFrames(first, operation);
        countReceived(SocketTraffic.size(frames));
        return frames;
    }

    /** The frames of the message whose first frame is {@code first} (the engine queues a message whole). */
    byte[][] remainingFrames(Msg first, String operation) {
        if (!first.hasMore()) {
            return new byte[][] { first.data() };
        }
        // sized for the common envelope and payload; no list, no copy for two frames
        byte[][] frames = new byte[2][];
        frames[0] = first.data();
        int count = 1;
        Msg part = first;
        while (part.hasMore()) {
            part = this.base.recv(zmq.ZMQ.ZMQ_DONTWAIT, this.canceled);
            if (part == null) {
                throw this.socket.lastError(operation + " of a multipart message");
            }
            if (count == frames.length) {
                frames = Arrays.copyOf(frames, count * 2);
            }
            frames[count++] = part.data();
        }
        return count == frames.length ? frames : Arrays.copyOf(frames, count);
    }

    private void requireAgain(String operation) {
        if (this.base.errno() != ZError.EAGAIN) {
            throw this.socket.lastError(operation);
        }
    }

    private void requireAgain(Msg msg, String operation) {
        if (this.base.errno() != ZError.EAGAIN) {
            int routingId = msg.getRoutingId();
            throw this.socket.lastError(routingId != 0 ? operation + " to routing id " + routingId : operation);
        }
    }
}
