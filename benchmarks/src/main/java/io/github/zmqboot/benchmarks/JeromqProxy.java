package io.github.zmqboot.benchmarks;

import java.util.concurrent.atomic.AtomicInteger;

import org.zeromq.SocketType;
import org.zeromq.ZMQ;

import static io.github.zmqboot.benchmarks.ProxyBenchmarkSockets.configure;

/**
 * JeroMQ's own proxy on a thread of its own, without capture: plain ({@code ZMQ.proxy(frontend, backend,
 * null)}, ended by terminating its context) or steerable (with a PAIR control socket, the JeroMQ equivalent of
 * a proxy that can be paused and terminated; ended by {@code TERMINATE}). Its thread closes its sockets.
 */
final class JeromqProxy {

    private static final AtomicInteger CONTROL_SEQUENCE = new AtomicInteger();

    final String frontendEndpoint;

    final String backendEndpoint;

    private final ZMQ.Context context = ZMQ.context(1);

    private final ZMQ.Socket controller;

    private final Thread thread;

    JeromqProxy(SocketType frontendType, SocketType backendType, boolean steerable) {
        ZMQ.Socket frontend = configure(this.context.socket(frontendType));
        ZMQ.Socket backend = configure(this.context.socket(backendType));
        this.frontendEndpoint = "tcp://127.0.0.1:" + frontend.bindToRandomPort("tcp://127.0.0.1");
        this.backendEndpoint = "tcp://127.0.0.1:" + backend.bindToRandomPort("tcp://127.0.0.1");
        ZMQ.Socket control = null;
        if (steerable) {
            String endpoint = "inproc://jeromq-proxy-control-" + CONTROL_SEQUENCE.incrementAndGet();
            control = configure(this.context.socket(SocketType.PAIR));
            control.bind(endpoint);
            this.controller = configure(this.context.socket(SocketType.PAIR));
            this.controller.connect(endpoint);
        }
        else {
            this.controller = null;
        }
        ZMQ.Socket steering = control;
        this.thread = new Thread(() -> {
            if (steering != null) {
                ZMQ.proxy(frontend, backend, null, steering);
                steering.close();
            }
            else {
                ZMQ.proxy(frontend, backend, null);
            }
            frontend.close();
            backend.close();
        }, "jeromq-proxy");
        this.thread.start();
    }

    void close() {
        try {
            if (this.controller != null) {
                this.controller.send(ZMQ.PROXY_TERMINATE);
                this.thread.join(10_000);
                this.controller.close();
            }
            Thread terminator = new Thread(this.context::term, "jeromq-proxy-termination");
            terminator.setDaemon(true);
            terminator.start();
            terminator.join(10_000);
            this.thread.join(10_000);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
