package io.github.zmqboot.benchmarks;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.zmqboot.internal.context.ZmqContextManager;
import io.github.zmqboot.internal.engine.ManagedSocket;
import io.github.zmqboot.internal.engine.SocketOptions;
import io.github.zmqboot.internal.engine.ZmqSocketFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;
import zmq.Msg;
import zmq.SocketBase;


/**
 * The normal-path cost of the frame guard (CVE-2019-6250, issue 7): a PUSH to PULL pipeline over tcp on 127.0.0.1
 * with 64-byte messages, in the same run, once with a PULL made by the starter's {@code ZmqSocketFactory} (frame guard
 * as its allocator, event hook installed) and once with a raw JeroMQ PULL. The guard runs on the engine's I/O thread
 * for every inbound frame: one range check before the engine's own allocator. Both PULLs are read the same way (the
 * engine's blocking receive, no starter code in the read path), both PUSHes are raw JeroMQ sockets in their PULL's
 * context, so the scores differ only by what the factory installs. Target: within noise of each other.
 * <p>
 * Run: {@code java -jar benchmarks/target/benchmarks.jar FrameGuardBenchmark}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class FrameGuardBenchmark {

    /** Messages per operation batch. */
    static final int BATCH = 1000;

    static final int MESSAGE_SIZE = 64;

    private static final int RECEIVE_TIMEOUT_MILLIS = 10_000;

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int pipelineGuarded(Guarded pipeline) {
        return pipeline.roundOfBatch();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int pipelineUnguarded(Unguarded pipeline) {
        return pipeline.roundOfBatch();
    }

    /** A raw PUSH sending batches to a PULL; the subclass makes the PULL. */
    public abstract static class Pipeline {

        private final byte[] payload = new byte[MESSAGE_SIZE];

        ZMQ.Socket push;

        SocketBase pull;

        /** Binds the PULL, connects the PUSH (in {@code context}) and waits until a message went through. */
        void connect(ZMQ.Context context, SocketBase pull) {
            this.pull = pull;
            this.pull.setSocketOpt(zmq.ZMQ.ZMQ_RCVTIMEO, RECEIVE_TIMEOUT_MILLIS);
            this.pull.bind("tcp://127.0.0.1:*");
            this.push = context.socket(SocketType.PUSH);
            this.push.connect((String) this.pull.getSocketOptx(zmq.ZMQ.ZMQ_LAST_ENDPOINT));
            this.push.send(this.payload);
            received(this.pull.recv(0));
        }

        /** Sends a batch, then receives it. */
        int roundOfBatch() {
            for (int i = 0; i < BATCH; i++) {
                this.push.send(this.payload);
            }
            int bytes = 0;
            for (int i = 0; i < BATCH; i++) {
                bytes += received(this.pull.recv(0)).size();
            }
            return bytes;
        }

        private static Msg received(Msg msg) {
            if (msg == null) {
                throw new IllegalStateException("no message within " + RECEIVE_TIMEOUT_MILLIS + " ms");
            }
            return msg;
        }
    }

    /** The PULL comes from the starter's socket factory (guard and event hook installed). */
    @State(Scope.Thread)
    public static class Guarded extends Pipeline {

        private ZmqContextManager contextManager;

        private ManagedSocket socket;

        private long stamp;

        @Setup(Level.Trial)
        public void setUp() {
            this.contextManager = new ZmqContextManager(1, 1024);
            ZmqSocketFactory factory = new ZmqSocketFactory(this.contextManager, SocketOptions.NONE, List.of());
            this.socket = factory.createSocket("pull", SocketType.PULL, SocketOptions.NONE);
            this.stamp = this.socket.enter(); // held for the trial: the read path is the engine's, as unguarded
            connect(this.contextManager.context(), this.socket.base());
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            this.push.setLinger(0);
            this.push.close();
            this.socket.exit(this.stamp);
            this.contextManager.close();
            if (this.socket.rejectedFrames() != 0) {
                throw new IllegalStateException("the guard dropped legitimate frames: " + this.socket.rejectedFrames());
            }
        }
    }

    /** A raw JeroMQ PULL: the engine's own allocator, no hook. */
    @State(Scope.Thread)
    public static class Unguarded extends Pipeline {

        private ZMQ.Context context;

        private ZMQ.Socket socket;

        @Setup(Level.Trial)
        public void setUp() {
            this.context = ZMQ.context(1);
            this.socket = this.context.socket(SocketType.PULL);
            connect(this.context, this.socket.base());
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            this.push.setLinger(0);
            this.push.close();
            this.socket.setLinger(0);
            this.socket.close();
            this.context.term();
        }
    }
}
