package io.github.zmqboot.benchmarks;

import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * What every socket of {@link ProxyBenchmark} shares (its clients, its workers, JeroMQ's proxy): no linger, the
 * starter's handshake interval, and a receive that timed out taken as a failure.
 */
final class ProxyBenchmarkSockets {

    /** Generous: the engine's rare stalled tcp connect heals after the handshake interval (5 s, set below). */
    static final int RECEIVE_TIMEOUT_MILLIS = 30_000;

    /** The starter's built-in handshake interval, on every socket here too (JeroMQ's default is 30 s). */
    static final int HANDSHAKE_MILLIS = 5_000;

    private ProxyBenchmarkSockets() {
    }

    static ZMQ.Socket socket(ZContext context, SocketType type) {
        return configure(context.createSocket(type));
    }

    static ZMQ.Socket configure(ZMQ.Socket socket) {
        socket.setLinger(0);
        socket.setHandshakeIvl(HANDSHAKE_MILLIS);
        return socket;
    }

    static byte[] received(byte[] message) {
        if (message == null) {
            throw new IllegalStateException("no message within " + RECEIVE_TIMEOUT_MILLIS + " ms");
        }
        return message;
    }
}
