package io.github.zmqboot.internal.engine;

import java.time.Duration;

import io.github.zmqboot.core.ZmqException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import zmq.Msg;
import zmq.SocketBase;
import zmq.ZError;
import zmq.ZMQ;

/**
 * The reading thread of a socket bean: one dedicated thread takes every message off the socket and hands it to the
 * reader. Messages of the types the engine makes thread-safe (PEER, SERVER, CLIENT, DISH, GATHER, ...) are one frame
 * and go to {@link InboundReader#onFrame}; the other types' ({@link ManagedSocket#isSharedConfined() shared} under a
 * lock of their own) are taken whole and go to {@link InboundReader#onMessage}, with that lock released while the
 * reader works, so that other threads keep using the socket meanwhile.
 * <p>
 * While no other thread uses the socket, the loop waits inside the engine, with the engine's own blocking receive
 * (see {@link ManagedSocket#receiveAsReader()}); another thread's call cancels that wait, and while other threads use
 * the socket the loop takes what is there and waits for the socket's signal outside the engine's lock. It holds the
 * socket's gate while it works, so a close waits for the message in hand; a close or a {@link #stop()} cancels its
 * wait at once. {@link #stop()} ends the loop after the message in hand and never interrupts the thread.
 */
public final class ConcurrentReadLoop {

    private static final Log logger = LogFactory.getLog(ConcurrentReadLoop.class);

    /** The longest wait outside the engine (while other threads use the socket) before the loop looks again. */
    private static final int WAIT_SLICE_MILLIS = 20;

    /** The longest wait inside the engine when nothing cancels it (a stop, a close and other callers all do). */
    private static final int ENGINE_WAIT_SLICE_MILLIS = 1000;

    /**
     * Messages taken without waiting after a wait's first one (a round), each counted and handed over as it is taken:
     * a reader that works between two receives keeps the same rhythm with the engine's I/O thread as a plain receive
     * loop (taking a whole batch first, then handing it over, was measured slower).
     */
    private static final int MESSAGES_PER_ROUND = 64;

    /** Rounds read before the loop leaves the socket's gate once (so that a close is never kept waiting long). */
    private static final int ROUNDS_PER_ENTRY = 4;

    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    private final ManagedSocket socket;

    private final InboundReader reader;

    private final Thread thread;

    private final SignalWaiter waiter = new SignalWaiter();

    private volatile boolean stopping;

    /** Whether messages may have several frames and the socket's own lock is released for the reader. */
    private final boolean confined;

    /** Whether a request must be answered before the next one can be received (REP). */
    private final boolean answersFirst;

    /** Creates and starts the reading thread. */
    public static ConcurrentReadLoop start(ManagedSocket socket, InboundReader reader, String threadName) {
        ConcurrentReadLoop loop = new ConcurrentReadLoop(socket, reader, threadName);
        loop.thread.start();
        return loop;
    }

    private ConcurrentReadLoop(ManagedSocket socket, InboundReader reader, String threadName) {
        this.socket = socket;
        this.reader = reader;
        this.confined = socket.isSharedConfined();
        this.answersFirst = socket.type() == org.zeromq.SocketType.REP;
        this.thread = reader.newReadingThread(threadName, this::run);
    }

    /** Whether the reading thread is still running (it ends on {@link #stop()} and when the socket closes). */
    public boolean isAlive() {
        return this.thread.isAlive();
    }

    /**
     * Ends the loop after the message in hand and waits until it is out of the reader; never interrupts it. Called by
     * the reader on the reading thread itself, it returns at once and the loop ends when the reader returns (see
     * {@link #awaitEnd()}); messages not yet taken stay queued in the socket.
     */
    public void stop() {
        this.stopping = true;
        this.socket.wakeReader();
        awaitEnd();
    }

    /** Whether the caller is this loop's reading thread (a reader calling back into its source). */
    boolean isReadingThread() {
        return Thread.currentThread() == this.thread;
    }

    /** Waits until the reading thread ended (after a {@link #stop()}); a no-op on the reading thread itself. */
    void awaitEnd() {
        if (isReadingThread()) {
            return;
        }
        try {
            this.thread.join(STOP_WAIT.toMillis());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        if (this.thread.isAlive()) {
            logger.warn("Reading thread " + this.thread.getName() + " still busy with a message after "
                    + STOP_WAIT.toSeconds() + " s; leaving it to finish on its own");
        }
    }

    private void run() {
        try (SignalWaiter closing = this.waiter) {
            readUntilStopped();
        }
    }

    private void readUntilStopped() {
        SocketBase base = this.socket.base();
        boolean prepared = false;
        while (!this.stopping) {
            long stamp;
            try {
                stamp = this.socket.enterAsReader();
            }
            catch (ZmqException closed) {
                return;
            }
            try {
                if (!prepared) {
                    this.socket.prepareReader(ENGINE_WAIT_SLICE_MILLIS);
                    prepared = true;
                }
                int outcome;
                try {
                    outcome = drain(base);
                }
                catch (ZmqException closedMeanwhile) {
                    if (this.socket.isClosed()) {
                        return; // seen when the lock was taken back after a wait or a handler
                    }
                    throw closedMeanwhile;
                }
                if (outcome == GONE) {
                    return;
                }
                if (outcome == AWAITING_REPLY) {
                    this.socket.awaitReplySent(stamp, WAIT_SLICE_MILLIS); // leaves the socket
                    stamp = 0;
                }
            }
            finally {
                if (stamp != 0) {
                    this.socket.exitAsReader(stamp);
                }
            }
        }
    }

    private static final int READ_ON = 0;

    private static final int GONE = 1;

    private static final int AWAITING_REPLY = 2;

    /**
     * Reads a few rounds, or waits one slice when there is nothing. Returns {@link #GONE} when the socket is gone,
     * {@link #AWAITING_REPLY} when a REP's request is not answered yet, else {@link #READ_ON}; leaves the gate after
     * a cancellation, so that a closing socket is seen at once.
     */
    private int drain(SocketBase base) {
        for (int round = 0; round < ROUNDS_PER_ENTRY && !this.stopping; round++) {
            Msg first = this.socket.receiveAsReader();
            if (first == null) {
                int errno = base.errno();
                if (errno == ZError.ECANCELED) {
                    return READ_ON;
                }
                if (errno == ZError.EFSM && this.answersFirst) {
                    return AWAITING_REPLY;
                }
                if (errno != ZError.EAGAIN) {
                    return GONE;
                }
                if (round == 0 && this.socket.hasOtherCallers()) {
                    this.socket.awaitSignal(this.waiter, WAIT_SLICE_MILLIS);
                }
                return READ_ON;
            }
            this.waiter.progressed();
            if (this.confined) {
                deliverMessages(base, first);
            }
            else {
                deliverQueued(base, first);
            }
        }
        return READ_ON;
    }

    /**
     * Hands {@code first} to the reader, then what else is queued behind it, one message at a time as it is taken (up
     * to a round's worth, or until a stop).
     */
    private void deliverQueued(SocketBase base, Msg first) {
        deliver(first);
        int count = 1;
        while (count < MESSAGES_PER_ROUND && !this.stopping) {
            Msg next = base.recv(ZMQ.ZMQ_DONTWAIT, this.socket.cancellation());
            if (next == null) {
                break; // nothing more, or an error the next receive reports again
            }
            deliver(next);
            count++;
        }
    }

    /**
     * As {@link #deliverQueued}, for a socket whose messages may have several frames: each message is taken whole,
     * then handed to the reader with the socket's own lock released (its gate stays held).
     */
    private void deliverMessages(SocketBase base, Msg first) {
        Msg head = first;
        int count = 0;
        while (true) {
            byte[][] frames = this.socket.remainingFrames(head, "receive");
            int holds = this.socket.releaseShared();
            try {
                deliver(frames);
            }
            finally {
                this.socket.reacquireShared(holds);
            }
            if (++count >= MESSAGES_PER_ROUND || this.stopping) {
                return;
            }
            head = base.recv(ZMQ.ZMQ_DONTWAIT, this.socket.cancellation());
            if (head == null) {
                return; // nothing more, or an error (EFSM on a REP) the next receive reports again
            }
        }
    }

    /** Counts a whole message as taken, then hands it to the reader. */
    private void deliver(byte[][] frames) {
        this.socket.traffic().receivedByReader(SocketTraffic.size(frames));
        try {
            this.reader.taken();
        }
        catch (RuntimeException ex) {
            logger.error("Reader of socket '" + this.socket.name() + "' failed; reading goes on", ex);
        }
        try {
            this.reader.onMessage(new InboundMessage(0, frames));
        }
        catch (RuntimeException ex) {
            logger.error("Reader of socket '" + this.socket.name() + "' failed; reading goes on", ex);
        }
        Thread.interrupted(); // a handler's interrupt must not turn the next engine call into EINTR
    }

    /** Counts a message as taken (the socket's traffic, then the reader), then hands it to the reader. */
    private void deliver(Msg msg) {
        this.socket.traffic().receivedByReader(msg.size());
        try {
            this.reader.taken();
        }
        catch (RuntimeException ex) {
            logger.error("Reader of socket '" + this.socket.name() + "' failed; reading goes on", ex);
        }
        try {
            this.reader.onFrame(msg.getRoutingId(), msg.data());
        }
        catch (RuntimeException ex) {
            logger.error("Reader of socket '" + this.socket.name() + "' failed; reading goes on", ex);
        }
    }
}
