package io.github.zmqboot.benchmarks;

import java.util.function.Consumer;

import org.zeromq.SocketType;
import org.zeromq.ZMQ;
import zmq.SocketBase;

/**
 * The far end of a benchmark in plain JeroMQ: a socket bound to an ephemeral tcp port of 127.0.0.1 in a context of its
 * own, served by a thread of its own (a drain, an echo server, a baseline receive loop) until {@link #close()}.
 */
final class RawServer implements AutoCloseable {

    /** One turn of the serving thread: typically one receive (which times out after 100 ms) and what follows it. */
    @FunctionalInterface
    interface Turn {

        void serve(SocketBase socket);
    }

    private final ZMQ.Context context = ZMQ.context(1);

    final ZMQ.Socket socket;

    /** The bound endpoint, port resolved. */
    final String endpoint;

    private final Thread thread;

    private volatile boolean running = true;

    /**
     * @param configure sets options before the bind (subscriptions, high-water marks)
     * @param turn what the serving thread does, over and over
     */
    RawServer(SocketType type, String threadName, Consumer<ZMQ.Socket> configure, Turn turn) {
        this.socket = this.context.socket(type);
        // the serving thread notices a close within 100 ms; and JeroMQ 0.6.0's blocking receive on a PEER was seen to
        // stall for good under a flood (a lost wake-up): with a timeout the loop carries on
        this.socket.setReceiveTimeOut(100);
        configure.accept(this.socket);
        this.socket.bind("tcp://127.0.0.1:*");
        this.endpoint = this.socket.getLastEndpoint();
        this.thread = new Thread(() -> {
            SocketBase base = this.socket.base();
            while (this.running) {
                turn.serve(base);
            }
        }, threadName);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Stops the serving thread, then closes the socket (without linger) and its context. */
    @Override
    public void close() {
        this.running = false;
        try {
            this.thread.join(5_000);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        // the socket first: terminating a context with an open socket blocks for good
        this.socket.setLinger(0);
        this.socket.close();
        this.context.term();
    }
}
