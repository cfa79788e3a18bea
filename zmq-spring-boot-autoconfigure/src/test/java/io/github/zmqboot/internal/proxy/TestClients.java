package io.github.zmqboot.internal.proxy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZFrame;
import org.zeromq.ZMQ;
import org.zeromq.ZMsg;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real ZeroMQ clients for proxy tests, in a JeroMQ context of their own (never the application's), plus echo
 * workers on threads of their own. Every receive is bounded ({@link #TIMEOUT}). The engine's rare stalled tcp
 * connect (JeroMQ PR #1022) heals at the handshake timeout, so the clients use the starter's 5 s instead of
 * JeroMQ's 30 s, and the timeout leaves room for one such heal. {@link #close()} stops the workers, then closes the
 * context.
 */
final class TestClients implements AutoCloseable {

    /** How long any receive waits before the test fails. */
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static final int HANDSHAKE_MILLIS = 5_000;

    private final ZContext context = new ZContext(1);

    private final List<Worker> workers = new ArrayList<>();

    /** A socket of {@code type} connected to {@code endpoint}. */
    ZMQ.Socket connect(SocketType type, String endpoint) {
        ZMQ.Socket socket = create(type);
        assertThat(socket.connect(endpoint)).as("connect to %s", endpoint).isTrue();
        return socket;
    }

    /** A socket of {@code type}. */
    ZMQ.Socket create(SocketType type) {
        ZMQ.Socket socket = this.context.createSocket(type);
        socket.setReceiveTimeOut((int) TIMEOUT.toMillis());
        socket.setLinger(0);
        socket.setReconnectIVL(100);
        socket.setHandshakeIvl(HANDSHAKE_MILLIS);
        return socket;
    }

    /**
     * Starts a worker that receives every message on a socket of {@code type} connected to {@code endpoint}, records
     * it, and (for REP) answers it with {@code answer}.
     */
    Worker worker(String name, SocketType type, String endpoint, Function<String, String> answer) {
        ZMQ.Socket socket = this.context.createSocket(type);
        socket.setReceiveTimeOut(100);
        socket.setLinger(0);
        socket.setReconnectIVL(100);
        socket.setHandshakeIvl(HANDSHAKE_MILLIS);
        assertThat(socket.connect(endpoint)).isTrue();
        Worker worker = new Worker(name, socket, answer);
        this.workers.add(worker);
        worker.thread.start();
        return worker;
    }

    @Override
    public void close() {
        this.workers.forEach(Worker::stop);
        this.context.close();
    }

    /** The next message on {@code socket}; fails the test when none arrives within {@link #TIMEOUT}. */
    static ZMsg receive(ZMQ.Socket socket) {
        ZMsg message = ZMsg.recvMsg(socket);
        assertThat(message).as("a message within %s", TIMEOUT).isNotNull();
        return message;
    }

    /** The next message on {@code socket} as strings, one per frame. */
    static List<String> receiveStrings(ZMQ.Socket socket) {
        return strings(receive(socket));
    }

    /** Whether a message arrives on {@code socket} within {@code wait} (the socket's timeout is restored). */
    static boolean arrivesWithin(ZMQ.Socket socket, Duration wait) {
        socket.setReceiveTimeOut((int) wait.toMillis());
        try {
            return ZMsg.recvMsg(socket) != null;
        }
        finally {
            socket.setReceiveTimeOut((int) TIMEOUT.toMillis());
        }
    }

    /** Sends the frames as one multipart message. */
    static void send(ZMQ.Socket socket, String... frames) {
        for (int i = 0; i < frames.length; i++) {
            assertThat(socket.send(frames[i].getBytes(StandardCharsets.UTF_8), i < frames.length - 1 ? ZMQ.SNDMORE : 0))
                .isTrue();
        }
    }

    static List<String> strings(ZMsg message) {
        List<String> frames = new ArrayList<>();
        for (ZFrame frame : message) {
            frames.add(frame.getString(StandardCharsets.UTF_8));
        }
        return frames;
    }

    /** Whether a plain server socket could bind {@code port} on 127.0.0.1 now (SO_REUSEADDR, as engines bind). */
    static boolean canBind(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
            return true;
        }
        catch (IOException ex) {
            return false;
        }
    }

    static int portOf(String endpoint) {
        return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    }

    /** A socket served by a thread of its own: records every message (its last frame), answers REP requests. */
    static final class Worker {

        final String name;

        final List<String> received = new CopyOnWriteArrayList<>();

        private final ZMQ.Socket socket;

        private final Function<String, String> answer;

        private final Thread thread;

        private volatile boolean running = true;

        private Worker(String name, ZMQ.Socket socket, Function<String, String> answer) {
            this.name = name;
            this.socket = socket;
            this.answer = answer;
            this.thread = new Thread(this::serve, "test-worker-" + name);
        }

        private void serve() {
            while (this.running) {
                ZMsg message = ZMsg.recvMsg(this.socket);
                if (message == null) {
                    continue;
                }
                String body = message.getLast().getString(StandardCharsets.UTF_8);
                this.received.add(body);
                if (this.answer != null) {
                    this.socket.send(this.answer.apply(body).getBytes(StandardCharsets.UTF_8));
                }
            }
        }

        private void stop() {
            this.running = false;
            try {
                this.thread.join(TIMEOUT.toMillis());
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
