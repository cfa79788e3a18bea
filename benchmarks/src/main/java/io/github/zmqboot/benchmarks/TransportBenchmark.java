package io.github.zmqboot.benchmarks;

import java.util.concurrent.TimeUnit;

import io.github.zmqboot.internal.transport.Transports;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import zmq.Ctx;
import zmq.Msg;
import zmq.SocketBase;
import zmq.ZMQ;

/**
 * The transports side by side (issue 16): engine sockets (no starter code in the message path) over tcp on 127.0.0.1,
 * over this project's ipc (Unix domain sockets) and over its ws (ZWS 2.0 on 127.0.0.1), 64-byte messages, in the
 * same run. tcp runs on this project's listener, connecter and engine (as the starter's sockets use it);
 * {@code jeromq+tcp://…} is JeroMQ's own tcp, for comparison.
 * <ul>
 * <li>{@code throughput}: a PUSH thread sends as fast as the HWM lets it; the benchmark thread receives batches of
 * 1000 on the PULL (messages per second).</li>
 * <li>{@code roundTrip}: a REQ sends 64 bytes, an echoing REP thread answers (average time per round trip).</li>
 * </ul>
 * Goals: ipc ≥ tcp throughput, ws ≥ 50 % of tcp.
 * Run: {@code java -jar benchmarks/target/benchmarks.jar TransportBenchmark}.
 */
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TransportBenchmark {

    static final int BATCH = 1000;

    static final int MESSAGE_SIZE = 64;

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public int throughput(Pipeline pipeline) {
        int bytes = 0;
        for (int i = 0; i < BATCH; i++) {
            bytes += pipeline.pull.recv(0).size();
        }
        return bytes;
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int roundTrip(RequestReply exchange) {
        exchange.req.send(new Msg(exchange.payload), 0);
        return exchange.req.recv(0).size();
    }

    /** JeroMQ's own transport for an endpoint written {@code jeromq+tcp://…}. */
    static final String JEROMQ = "jeromq+";

    /** Binds {@code endpoint} on {@code socket} through the engine or this project's transports. */
    static String bind(SocketBase socket, String endpoint) {
        if (endpoint.startsWith(JEROMQ)) {
            socket.bind(endpoint.substring(JEROMQ.length()));
            return JEROMQ + socket.getSocketOptx(ZMQ.ZMQ_LAST_ENDPOINT);
        }
        if (Transports.handles(endpoint)) {
            return Transports.bind(socket, endpoint);
        }
        socket.bind(endpoint);
        return (String) socket.getSocketOptx(ZMQ.ZMQ_LAST_ENDPOINT);
    }

    static void connect(SocketBase socket, String endpoint) {
        if (endpoint.startsWith(JEROMQ)) {
            socket.connect(endpoint.substring(JEROMQ.length()));
        }
        else if (Transports.handles(endpoint)) {
            Transports.connect(socket, endpoint);
        }
        else {
            socket.connect(endpoint);
        }
    }

    @State(Scope.Benchmark)
    public static class Pipeline {

        @Param({ "tcp://127.0.0.1:*", "jeromq+tcp://127.0.0.1:*", "ipc://*", "ws://127.0.0.1:*/bench" })
        public String endpoint;

        Ctx context;

        SocketBase pull;

        private Thread sender;

        private volatile boolean running;

        @Setup(Level.Trial)
        public void start() {
            this.context = ZMQ.createContext();
            this.pull = this.context.createSocket(ZMQ.ZMQ_PULL);
            this.pull.setSocketOpt(ZMQ.ZMQ_RCVTIMEO, 10_000);
            SocketBase push = this.context.createSocket(ZMQ.ZMQ_PUSH);
            connect(push, bind(this.pull, this.endpoint));
            this.running = true;
            this.sender = new Thread(() -> {
                byte[] payload = new byte[MESSAGE_SIZE];
                while (this.running) {
                    push.send(new Msg(payload), ZMQ.ZMQ_DONTWAIT);
                }
                push.setSocketOpt(ZMQ.ZMQ_LINGER, 0);
                push.close();
            }, "push");
            this.sender.start();
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            this.running = false;
            this.sender.join();
            this.pull.setSocketOpt(ZMQ.ZMQ_LINGER, 0);
            this.pull.close();
            this.context.terminate();
        }
    }

    @State(Scope.Benchmark)
    public static class RequestReply {

        @Param({ "tcp://127.0.0.1:*", "jeromq+tcp://127.0.0.1:*", "ipc://*", "ws://127.0.0.1:*/bench" })
        public String endpoint;

        final byte[] payload = new byte[MESSAGE_SIZE];

        Ctx context;

        SocketBase req;

        private Thread echo;

        @Setup(Level.Trial)
        public void start() {
            this.context = ZMQ.createContext();
            SocketBase rep = this.context.createSocket(ZMQ.ZMQ_REP);
            this.req = this.context.createSocket(ZMQ.ZMQ_REQ);
            connect(this.req, bind(rep, this.endpoint));
            this.echo = new Thread(() -> {
                while (true) {
                    Msg request = rep.recv(0);
                    if (request == null) {
                        break; // context terminated
                    }
                    rep.send(request, 0);
                }
                rep.close();
            }, "echo");
            this.echo.start();
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            this.req.setSocketOpt(ZMQ.ZMQ_LINGER, 0);
            this.req.close();
            this.context.terminate();
            this.echo.join();
        }
    }
}
