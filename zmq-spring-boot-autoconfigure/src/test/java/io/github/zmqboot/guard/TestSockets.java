package io.github.zmqboot.guard;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.zmqboot.core.ZmqError;
import io.github.zmqboot.internal.engine.ManagedSocket;
import io.github.zmqboot.internal.engine.SocketOptions;
import io.github.zmqboot.internal.engine.ZmqSocketFactory;
import org.zeromq.SocketType;
import zmq.Msg;
import zmq.SocketBase;
import zmq.ZMQ;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sockets made by the starter's {@link ZmqSocketFactory}, used the way the product uses them: every engine call
 * between {@link ManagedSocket#enter()} and {@link ManagedSocket#exit(long)}, waits through the engine's poll with
 * the socket's cancellation token. These socket types are not thread-safe in the engine: a test uses each from its
 * own thread only (the test thread, which also closes the application context).
 */
final class TestSockets {

    private TestSockets() {
    }

    /** Creates a socket through the factory and binds it to an ephemeral port on 127.0.0.1. */
    static ManagedSocket bound(ZmqSocketFactory factory, String name, SocketType type) {
        ManagedSocket socket = factory.createSocket(name, type, SocketOptions.NONE);
        long stamp = socket.enter();
        try {
            assertThat(socket.base().bind("tcp://127.0.0.1:*")).as(name + " bound").isTrue();
        }
        finally {
            socket.exit(stamp);
        }
        return socket;
    }

    /** Creates a socket through the factory and connects it. */
    static ManagedSocket connected(ZmqSocketFactory factory, String name, SocketType type, String endpoint) {
        ManagedSocket socket = factory.createSocket(name, type, SocketOptions.NONE);
        long stamp = socket.enter();
        try {
            assertThat(socket.base().connect(endpoint)).as(name + " connected").isTrue();
        }
        finally {
            socket.exit(stamp);
        }
        return socket;
    }

    /** The resolved endpoint of the socket's last bind. */
    static String endpoint(ManagedSocket socket) {
        long stamp = socket.enter();
        try {
            return (String) socket.base().getSocketOptx(ZMQ.ZMQ_LAST_ENDPOINT);
        }
        finally {
            socket.exit(stamp);
        }
    }

    static int port(String endpoint) {
        return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    }

    /** Sends one message (several frames: multipart). */
    static void send(ManagedSocket socket, byte[]... frames) {
        long stamp = socket.enter();
        try {
            for (int i = 0; i < frames.length; i++) {
                Msg msg = new Msg(frames[i]);
                int flags = i < frames.length - 1 ? ZMQ.ZMQ_SNDMORE : 0;
                assertThat(socket.base().send(msg, flags, socket.cancellation()))
                    .as(socket.name() + " send (errno " + socket.base().errno() + ")").isTrue();
            }
        }
        finally {
            socket.exit(stamp);
        }
    }

    static void send(ManagedSocket socket, String payload) {
        send(socket, utf8(payload));
    }

    /** The frames of the next message, or null when none arrives within {@code timeout}. */
    static List<byte[]> receive(ManagedSocket socket, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long stamp = socket.enter();
        try {
            SocketBase base = socket.base();
            while (true) {
                Msg msg = base.recv(ZMQ.ZMQ_DONTWAIT, socket.cancellation());
                if (msg != null) {
                    List<byte[]> frames = new ArrayList<>();
                    frames.add(msg.data());
                    while (msg.hasMore()) {
                        msg = base.recv(ZMQ.ZMQ_DONTWAIT, socket.cancellation());
                        assertThat(msg).as("rest of a multipart message").isNotNull();
                        frames.add(msg.data());
                    }
                    return frames;
                }
                assertThat(base.errno()).as(socket.name() + " receive errno").isEqualTo(ZmqError.EAGAIN.errno());
                long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
                if (remainingMillis <= 0) {
                    return null;
                }
                base.poll(ZMQ.ZMQ_POLLIN, (int) remainingMillis, socket.cancellation());
            }
        }
        finally {
            socket.exit(stamp);
        }
    }

    /** Takes every message already queued off the socket; returns how many. */
    static int drain(ManagedSocket socket) {
        int count = 0;
        while (receive(socket, Duration.ZERO) != null) {
            count++;
        }
        return count;
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
