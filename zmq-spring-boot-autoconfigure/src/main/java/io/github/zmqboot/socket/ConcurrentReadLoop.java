package io.github.zmqboot.socket;

import java.time.Duration;

import io.github.zmqboot.core.ZmqError;
import io.github.zmqboot.core.ZmqException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import zmq.Msg;
import zmq.SocketBase;
import zmq.ZMQ;

/**
 * The reading thread of a socket the engine makes thread-safe (PEER, SERVER, CLIENT, DISH, GATHER, ...): such
 * sockets have no file descriptor to poll, so one dedicated thread drains the socket with non-blocking receives and
 * waits with the engine's own {@code poll} when it is empty. Messages of these types are always one frame.
 * <p>
 * The loop never blocks inside the engine (a blocking engine call would hold the socket's lock and stop every other
 * thread's send); it waits for the socket's signal outside the lock. It holds the socket's gate while it works, so a
 * close waits for the message in hand; a close wakes its wait at once through the socket's cancellation token.
 * {@link #stop()} ends the loop within one wait slice (20 ms) plus the message in hand, and never interrupts the
 * thread.
 */
public final class ConcurrentReadLoop {

    private static final Log logger = LogFactory.getLog(ConcurrentReadLoop.class);

    private static final int WAIT_SLICE_MILLIS = 20;

    private static final int BATCH = 256;

    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    private final ManagedSocket socket;

    private final InboundReader reader;

    private final Thread thread;

    private final SignalWaiter waiter = new SignalWaiter();

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

    /** Ends the loop and waits until it is out of the reader; never interrupts it. */
    public void stop() {
        this.stopping = true;
        if (Thread.currentThread() == this.thread) {
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
        while (!this.stopping) {
            long stamp;
            try {
                stamp = this.socket.enter();
            }
            catch (ZmqException closed) {
                return;
            }
            try {
                if (!drain(base)) {
                    return;
                }
            }
            finally {
                this.socket.exit(stamp);
            }
        }
    }

    /** Reads up to a batch, or waits one slice when there is nothing; false when the socket is gone. */
    private boolean drain(SocketBase base) {
        for (int i = 0; i < BATCH && !this.stopping; i++) {
            Msg msg = base.recv(ZMQ.ZMQ_DONTWAIT, this.socket.cancellation());
            if (msg == null) {
                if (base.errno() != ZmqError.EAGAIN.errno()) {
                    return false;
                }
                if (i > 0) {
                    return true;
                }
                this.socket.awaitSignal(this.waiter, WAIT_SLICE_MILLIS);
                return true;
            }
            if (i == 0) {
                this.waiter.progressed();
            }
            deliver(msg);
        }
        return true;
    }

    private void deliver(Msg msg) {
        this.socket.traffic().received(msg.size());
        try {
            this.reader.onMessage(new InboundMessage(msg.getRoutingId(), new byte[][] { msg.data() }));
        }
        catch (RuntimeException ex) {
            logger.error("Reader of socket '" + this.socket.name() + "' failed; reading goes on", ex);
        }
    }
}
