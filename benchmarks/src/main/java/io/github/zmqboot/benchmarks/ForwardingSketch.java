package io.github.zmqboot.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.zeromq.SocketType;
import org.zeromq.ZMQ;
import zmq.Ctx;
import zmq.Msg;
import zmq.Options;
import zmq.Own;
import zmq.SocketBase;
import zmq.ZError;
import zmq.ZObject;
import zmq.io.IOObject;
import zmq.io.IOThread;
import zmq.poll.IPollEvents;
import zmq.poll.Poller;

/**
 * Diagnostic, not the product: a bare ROUTER-DEALER forwarder on a plain JeroMQ context (no statistics, steering,
 * capture or drain), run either on a thread of its own (a selector over both sockets' notification channels) or on
 * the engine's I/O thread that serves both sockets' connections (both channels registered with that thread's poller,
 * as the engine's reaper registers sockets being closed). The two differ only in where the forwarding runs, so that
 * {@link ProxyBenchmark} can show what a hand-over between a proxy's thread and its I/O thread costs a request-reply
 * chain. Uses engine internals open to a subclass (an {@link Own} plugged on the I/O thread).
 */
final class ForwardingSketch {

    final String frontendEndpoint;

    final String backendEndpoint;

    private final ZMQ.Context context = ZMQ.context(1);

    private final ZMQ.Socket frontend;

    private final ZMQ.Socket backend;

    private final Forwarder forwarder;

    private final Thread thread;

    private volatile boolean running = true;

    ForwardingSketch(boolean onIoThread) {
        this.frontend = this.context.socket(SocketType.ROUTER);
        this.backend = this.context.socket(SocketType.DEALER);
        this.frontend.setLinger(0);
        this.backend.setLinger(0);
        this.frontendEndpoint = "tcp://127.0.0.1:" + this.frontend.bindToRandomPort("tcp://127.0.0.1");
        this.backendEndpoint = "tcp://127.0.0.1:" + this.backend.bindToRandomPort("tcp://127.0.0.1");
        SocketBase front = this.frontend.base();
        this.forwarder = new Forwarder(new IoThreadChooser(front.getCtx()).choose(), front, this.backend.base());
        if (onIoThread) {
            this.thread = null;
            this.forwarder.plugOnIoThread();
        }
        else {
            this.thread = new Thread(this::forwardOnOwnThread, "forwarding-sketch");
            this.thread.start();
        }
    }

    private void forwardOnOwnThread() {
        try (Selector selector = Selector.open()) {
            this.forwarder.front.getFD().register(selector, SelectionKey.OP_READ);
            this.forwarder.back.getFD().register(selector, SelectionKey.OP_READ);
            while (this.running) {
                this.forwarder.inEvent();
                selector.select(100);
                selector.selectedKeys().clear();
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    void close() {
        this.running = false;
        if (this.thread != null) {
            join(this.thread);
        }
        else {
            this.forwarder.unplugFromIoThread();
        }
        this.frontend.close();
        this.backend.close();
        this.context.term();
    }

    private static void join(Thread thread) {
        try {
            thread.join(10_000);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** Picks an I/O thread of a context as a socket does for its connections (the context has one). */
    private static final class IoThreadChooser extends ZObject {

        IoThreadChooser(Ctx ctx) {
            super(ctx, 0);
        }

        IOThread choose() {
            return chooseIoThread(0);
        }
    }

    /**
     * Moves messages both ways without blocking until nothing moves. On the I/O thread: plugged by a command to itself,
     * woken by either socket's channel.
     */
    private static final class Forwarder extends Own implements IPollEvents {

        final SocketBase front;

        final SocketBase back;

        private final IOThread ioThread;

        private final CountDownLatch plugged = new CountDownLatch(1);

        private final CountDownLatch unplugged = new CountDownLatch(1);

        private IOObject io;

        private Poller.Handle frontHandle;

        private Poller.Handle backHandle;

        private final Way requests;

        private final Way replies;

        Forwarder(IOThread ioThread, SocketBase front, SocketBase back) {
            super(ioThread, new Options());
            this.ioThread = ioThread;
            this.front = front;
            this.back = back;
            this.requests = new Way(front, back);
            this.replies = new Way(back, front);
        }

        void plugOnIoThread() {
            sendPlug(this, false);
            await(this.plugged);
        }

        void unplugFromIoThread() {
            sendStop();
            await(this.unplugged);
        }

        @Override
        protected void processPlug() {
            this.io = new IOObject(this.ioThread, this);
            this.io.plug();
            this.frontHandle = this.io.addFd(this.front.getFD());
            this.backHandle = this.io.addFd(this.back.getFD());
            this.io.setPollIn(this.frontHandle);
            this.io.setPollIn(this.backHandle);
            this.plugged.countDown();
            inEvent();
        }

        @Override
        protected void processStop() {
            this.io.removeHandle(this.frontHandle);
            this.io.removeHandle(this.backHandle);
            this.io.unplug();
            this.unplugged.countDown();
        }

        @Override
        public void inEvent() {
            // takes both sockets' commands (and their channels' bytes) first
            this.front.getSocketOpt(zmq.ZMQ.ZMQ_EVENTS);
            this.back.getSocketOpt(zmq.ZMQ.ZMQ_EVENTS);
            while (this.requests.forward() + this.replies.forward() > 0) {
                // until neither way moves
            }
        }

        @Override
        protected void destroy() {
        }

        private static void await(CountDownLatch latch) {
            try {
                if (!latch.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the I/O thread did not answer within 10 s");
                }
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** One way of the forwarder; a part the destination refuses ({@code EAGAIN}) is held for the next call. */
    private static final class Way {

        private static final int CAP = 10_000;

        private final SocketBase from;

        private final SocketBase to;

        private Msg held;

        Way(SocketBase from, SocketBase to) {
            this.from = from;
            this.to = to;
        }

        /** Moves parts without blocking until the source is empty, the destination full, or the cap reached. */
        int forward() {
            int moved = 0;
            while (moved < CAP) {
                Msg part = this.held != null ? this.held : this.from.recv(zmq.ZMQ.ZMQ_DONTWAIT);
                if (part == null) {
                    break;
                }
                int flags = part.hasMore() ? zmq.ZMQ.ZMQ_SNDMORE | zmq.ZMQ.ZMQ_DONTWAIT : zmq.ZMQ.ZMQ_DONTWAIT;
                if (!this.to.send(part, flags)) {
                    if (this.to.errno() != ZError.EAGAIN) {
                        throw new IllegalStateException("forwarding failed: errno " + this.to.errno());
                    }
                    this.held = part;
                    break;
                }
                this.held = null;
                moved++;
            }
            return moved;
        }
    }
}
