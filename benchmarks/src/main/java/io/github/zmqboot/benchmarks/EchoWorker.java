package io.github.zmqboot.benchmarks;

import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import static io.github.zmqboot.benchmarks.ProxyBenchmarkSockets.socket;

/** A REP socket on a thread of its own that answers every request with the request. */
final class EchoWorker {

    final String endpoint;

    private final ZContext context = new ZContext(1);

    private final ZMQ.Socket socket;

    private final Thread thread;

    private volatile boolean running = true;

    private EchoWorker(boolean bind, String endpoint) {
        this.socket = socket(this.context, SocketType.REP);
        this.socket.setReceiveTimeOut(100);
        if (bind) {
            this.endpoint = "tcp://127.0.0.1:" + this.socket.bindToRandomPort("tcp://127.0.0.1");
        }
        else {
            this.endpoint = endpoint;
            this.socket.connect(endpoint);
        }
        this.thread = new Thread(this::serve, "echo-worker");
        this.thread.start();
    }

    static EchoWorker bound() {
        return new EchoWorker(true, null);
    }

    static EchoWorker connectedTo(String endpoint) {
        return new EchoWorker(false, endpoint);
    }

    private void serve() {
        while (this.running) {
            byte[] request = this.socket.recv();
            if (request != null) {
                this.socket.send(request);
            }
        }
    }

    void close() {
        this.running = false;
        try {
            this.thread.join(10_000);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        this.context.close();
    }
}
