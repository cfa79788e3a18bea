package io.github.zmqboot.socket;

import java.time.Duration;

import io.github.zmqboot.core.ZmqException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import zmq.Msg;
import zmq.SocketBase;
import zmq.ZError;
import zmq.ZMQ;

/**
 * The reading thread of a socket the engine makes thread-safe (PEER, SERVER, CLIENT, DISH, GATHER, ...): one
 * dedicated thread takes every message off the socket and hands it to the reader. Messages of these types are always
 * one frame.
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

    /** Messages taken off the socket in one go before they are handed over (counted once per batch). */
    private static final int BATCH = 64;

    /** Batches read before the loop leaves the socket's gate once (so that a close is never kept waiting long). */
    private static final int BATCHES_PER_ENTRY = 4;

    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    private final ManagedSocket socket;

    private final InboundReader reader;

    private final Thread thread;

    private final SignalWaiter waiter = new SignalWaiter();

    /** The messages of the batch in hand (only the reading thread uses it). */
    private final Msg[] batch = new Msg[BATCH];

    private volatile boolean stopping;

    /** Creates and starts the reading thread. */
    public static ConcurrentReadLoop start(ManagedSocket socket, InboundReader reader, String threadName) {
        ConcurrentReadLoop loop = new ConcurrentReadLoop(socket, reader, threadName);
        loop.thread.start();
        return loop;
    }

    private ConcurrentReadLoop(ManagedSocket socket, InboundReader reader, String threadName) {
        this.socket = socket;
        this.reader = reader;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    /** Whether the reading thread is still running (it ends on {@link #stop()} and when the socket closes). */
    public boolean isAlive() {
        return this.thread.isAlive();
    }

    /**
     * Ends the loop and waits until it is out of the reader; never interrupts it. Called by the reader on the reading
     * thread itself, it returns at once, and the thread hands the rest of the batch in hand to the reader after the
     * caller returned (see {@link #awaitEnd()}).
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
                if (!drain(base)) {
                    return;
                }
            }
            finally {
                this.socket.exitAsReader(stamp);
            }
        }
    }

    /**
     * Reads a few batches, or waits one slice when there is nothing; false when the socket is gone. Leaves the gate
     * (returns true) after a cancellation, so that a closing socket is seen at once.
     */
    private boolean drain(SocketBase base) {
        for (int round = 0; round < BATCHES_PER_ENTRY && !this.stopping; round++) {
            Msg first = this.socket.receiveAsReader();
            if (first == null) {
                int errno = base.errno();
                if (errno == ZError.ECANCELED) {
                    return true;
                }
                if (errno != ZError.EAGAIN) {
                    return false;
                }
                if (round == 0 && this.socket.hasOtherCallers()) {
                    this.socket.awaitSignal(this.waiter, WAIT_SLICE_MILLIS);
                }
                return true;
            }
            this.waiter.progressed();
            deliver(takeQueued(base, first));
        }
        return true;
    }

    /** Takes what else is queued behind {@code first}, up to a batch, and counts it; returns the batch's size. */
    private int takeQueued(SocketBase base, Msg first) {
        Msg[] taken = this.batch;
        taken[0] = first;
        long bytes = first.size();
        int count = 1;
        while (count < BATCH) {
            Msg next = base.recv(ZMQ.ZMQ_DONTWAIT, this.socket.cancellation());
            if (next == null) {
                break; // nothing more, or an error the next receive reports again
            }
            taken[count++] = next;
            bytes += next.size();
        }
        this.socket.traffic().received(count, bytes);
        return count;
    }

    /** Hands the batch to the reader, every message of it, even when a stop came meanwhile. */
    private void deliver(int count) {
        Msg[] taken = this.batch;
        try {
            this.reader.taken(count);
        }
        catch (RuntimeException ex) {
            logger.error("Reader of socket '" + this.socket.name() + "' failed; reading goes on", ex);
        }
        for (int i = 0; i < count; i++) {
            Msg msg = taken[i];
            taken[i] = null;
            try {
                this.reader.onFrame(msg.getRoutingId(), msg.data());
            }
            catch (RuntimeException ex) {
                logger.error("Reader of socket '" + this.socket.name() + "' failed; reading goes on", ex);
            }
        }
    }
}
