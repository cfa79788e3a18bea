package io.github.zmqboot.benchmarks;

import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

import org.zeromq.SocketType;
import org.zeromq.ZMQ;
import zmq.Msg;

import static io.github.zmqboot.benchmarks.ListenerBenchmark.BATCH;

/**
 * The raw JeroMQ senders of {@link ListenerBenchmark}: each sends a batch of 64-byte messages from the benchmark
 * thread, to a PEER (without blocking in the engine) or to a PULL.
 */
final class ListenerSenders {

    static final long FULL_QUEUE_BACKOFF_NANOS = 20_000;

    static final byte[] PAYLOAD = new byte[64];

    static {
        Arrays.fill(PAYLOAD, (byte) 'x');
    }

    private ListenerSenders() {
    }

    /** A raw JeroMQ sender of the given type, connected to {@code endpoint}, in its own context. */
    abstract static class Sender {

        final ZMQ.Context context = ZMQ.context(1);

        ZMQ.Socket socket;

        abstract void sendBatch();

        void close() {
            this.socket.setLinger(0);
            this.socket.close();
            this.context.term();
        }
    }

    static final class PeerSender extends Sender {

        final int routingId;

        PeerSender(String endpoint) {
            this.socket = this.context.socket(SocketType.PEER);
            this.routingId = this.socket.connectPeer(endpoint);
        }

        @Override
        void sendBatch() {
            zmq.SocketBase base = this.socket.base();
            for (int i = 0; i < BATCH; i++) {
                Msg msg = new Msg(PAYLOAD);
                msg.setRoutingId(this.routingId);
                // never blocks in the engine: JeroMQ 0.6.0's blocking send on a PEER can miss the wake-up of a
                // drained queue and then waits out its whole timeout, which would measure the sender, not the receiver
                while (!base.send(msg, zmq.ZMQ.ZMQ_DONTWAIT)) {
                    LockSupport.parkNanos(FULL_QUEUE_BACKOFF_NANOS);
                }
            }
        }
    }

    static final class PushSender extends Sender {

        PushSender(String endpoint) {
            this.socket = this.context.socket(SocketType.PUSH);
            this.socket.connect(endpoint);
        }

        @Override
        void sendBatch() {
            for (int i = 0; i < BATCH; i++) {
                this.socket.send(PAYLOAD, 0);
            }
        }
    }
}
