package io.github.zmqboot.benchmarks;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.github.zmqboot.annotation.ZmqListener;
import io.github.zmqboot.autoconfigure.ZmqAutoConfiguration;
import io.github.zmqboot.autoconfigure.ZmqMetricsAutoConfiguration;
import io.github.zmqboot.autoconfigure.ZmqObservationAutoConfiguration;
import io.github.zmqboot.core.ZmqPeer;
import io.github.zmqboot.core.ZmqSocket;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
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
import org.zeromq.SocketType;
import org.zeromq.ZMQ;
import zmq.Msg;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Messages per second into a {@code @ZmqListener} (concurrency 1) against a raw JeroMQ receive loop on the same kind
 * of socket, in the same run: 64-byte messages over tcp on 127.0.0.1 from a raw JeroMQ sender in the benchmark
 * thread. Each operation is one message; an invocation sends a batch and waits until the receiver counted all of it.
 * <p>
 * Targets (issue 3): listener with a {@code byte[]} parameter ≥ 90 % of raw; with a {@code String} parameter ≥ 70 %.
 * The targets are measured against {@code peerRaw} / {@code pullRaw}, whose loops never touch the payload (the
 * stricter baseline); {@code peerRawBytes} / {@code pullRawBytes} also take each payload as a {@code byte[]}, as a
 * listener's parameter gets it. Both raw forms score within each other's run-to-run spread: on two cores the
 * pipeline's throughput depends on how often the receiver empties its queue (each empty queue costs a wake-up on
 * both sides) as much as on the receiver's own work.
 * <p>
 * Warm-up: a listener's fork reaches its steady rate later than a raw loop's (Spring's dispatch is more code for the
 * JIT compiler, which shares the two cores with the pipeline): after 4 warm-up iterations of 2 s its first measured
 * iterations still climb, so the default is 8. Forks differ by up to +-10 % on a shared 2-core machine: compare
 * ratios over several forks, run alternately.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 8, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class ListenerBenchmark {

    static final int BATCH = 20_000;

    static final long FULL_QUEUE_BACKOFF_NANOS = 20_000;

    static final byte[] PAYLOAD = new byte[64];

    static {
        Arrays.fill(PAYLOAD, (byte) 'x');
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

    /** The receiving side, raw or through the starter. */
    @State(Scope.Benchmark)
    public abstract static class Receiver {

        final ReceiveCounter counter = new ReceiveCounter();

        Sender sender;

        long expected;

        void run() {
            this.expected += BATCH;
            this.sender.sendBatch();
            this.counter.awaitAtLeast(this.expected);
        }
    }

    /** A raw JeroMQ receive loop on its own thread: the baseline. */
    public abstract static class RawReceiver extends Receiver {

        RawServer server;

        abstract SocketType type();

        abstract Sender sender(String endpoint);

        /**
         * Whether the loop takes each payload as a {@code byte[]} (what {@code ZMQ.Socket.recv()} returns and what a
         * listener's {@code byte[]} parameter gets), or only the engine's message object, payload untouched.
         */
        boolean readsPayload() {
            return false;
        }

        @Setup(Level.Trial)
        public void start() {
            ReceiveCounter counter = this.counter;
            RawServer.Turn turn = readsPayload() ? socket -> {
                Msg msg = socket.recv(0);
                if (msg != null) {
                    counter.increment(msg.data());
                }
            } : socket -> {
                if (socket.recv(0) != null) {
                    counter.increment();
                }
            };
            this.server = new RawServer(type(), "raw-receiver", socket -> {
            }, turn);
            this.sender = sender(this.server.endpoint);
        }

        @TearDown(Level.Trial)
        public void stop() {
            this.sender.close();
            this.server.close();
        }
    }

    public static class RawPeer extends RawReceiver {

        @Override
        SocketType type() {
            return SocketType.PEER;
        }

        @Override
        Sender sender(String endpoint) {
            return new PeerSender(endpoint);
        }
    }

    /** The raw PEER loop taking each payload as a {@code byte[]}, as a listener's {@code byte[]} parameter gets it. */
    public static class RawPeerBytes extends RawPeer {

        @Override
        boolean readsPayload() {
            return true;
        }
    }

    public static class RawPull extends RawReceiver {

        @Override
        SocketType type() {
            return SocketType.PULL;
        }

        @Override
        Sender sender(String endpoint) {
            return new PushSender(endpoint);
        }
    }

    /** The raw PULL loop taking each payload as a {@code byte[]} ({@code ZMQ.Socket.recv()}'s work). */
    public static class RawPullBytes extends RawPull {

        @Override
        boolean readsPayload() {
            return true;
        }
    }

    /**
     * Diagnostic: the same Spring application, but the peer is read by a plain thread, either with the engine's
     * blocking receive on the starter's socket (isolates the socket's configuration: guard, monitor) or with
     * {@code ZmqPeer.receive} (isolates the wait outside the engine's lock).
     */
    public abstract static class PeerLoopReceiver extends Receiver {

        ConfigurableApplicationContext application;

        Thread loop;

        volatile boolean running = true;

        abstract void readLoop(io.github.zmqboot.internal.peer.DefaultZmqPeer peer);

        @Setup(Level.Trial)
        public void start() {
            this.application = new SpringApplicationBuilder(ListenerApplication.class).web(WebApplicationType.NONE)
                .logStartupInfo(false)
                .properties("zmq.peers.bytesInbox.bind[0]=tcp://127.0.0.1:0",
                        "zmq.peers.stringInbox.bind[0]=tcp://127.0.0.1:0", "zmq.sockets.pull.type=PULL",
                        "zmq.sockets.pull.bind[0]=tcp://127.0.0.1:0", "zmq.peers.unclaimed.bind[0]=tcp://127.0.0.1:0",
                        "bench.listener=none", "logging.level.root=WARN")
                .run();
            // a peer no listener claims (a claimed peer's receive throws, stopped listener or not)
            io.github.zmqboot.internal.peer.DefaultZmqPeer peer = (io.github.zmqboot.internal.peer.DefaultZmqPeer) this.application
                .getBean("unclaimed", ZmqPeer.class);
            this.loop = new Thread(() -> readLoop(peer), "peer-loop");
            this.loop.setDaemon(true);
            this.loop.start();
            this.sender = new PeerSender(peer.boundEndpoints().get(0));
        }

        @TearDown(Level.Trial)
        public void stop() {
            this.running = false;
            this.sender.close();
            this.application.close();
        }
    }

    public static class EngineBlockingOnStarterSocket extends PeerLoopReceiver {

        @Override
        void readLoop(io.github.zmqboot.internal.peer.DefaultZmqPeer peer) {
            zmq.SocketBase base = peer.managedSocket().base();
            base.setSocketOpt(zmq.ZMQ.ZMQ_RCVTIMEO, 100);
            while (this.running) {
                if (base.recv(0) != null) {
                    this.counter.increment();
                }
            }
        }
    }

    /**
     * The listener's reading loop ({@code ConcurrentReadLoop}: waits in the engine, batches, gate) with a reader that
     * only counts: isolates the loop from the listener's dispatch (message objects, Spring's invocation, counters).
     */
    public static class ReadLoopCountingOnly extends PeerLoopReceiver {

        @Override
        void readLoop(io.github.zmqboot.internal.peer.DefaultZmqPeer peer) {
            // the loop ends when the application closes the socket
            io.github.zmqboot.internal.engine.ConcurrentReadLoop.start(peer.managedSocket(),
                    message -> this.counter.increment(message.frames()[0]), "counting-read-loop");
        }
    }

    public static class PeerReceiveMethod extends PeerLoopReceiver {

        @Override
        void readLoop(io.github.zmqboot.internal.peer.DefaultZmqPeer peer) {
            while (this.running) {
                try {
                    if (peer.receive(java.time.Duration.ofMillis(100)) != null) {
                        this.counter.increment();
                    }
                }
                catch (RuntimeException ex) {
                    return;
                }
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void diagnosticPeerEngineBlockingOnStarterSocket(EngineBlockingOnStarterSocket receiver) {
        receiver.run();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void diagnosticPeerReadLoopCountingOnly(ReadLoopCountingOnly receiver) {
        receiver.run();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void diagnosticPeerReceiveMethod(PeerReceiveMethod receiver) {
        receiver.run();
    }

    /** A Spring application with one listener; {@link #listener()} names which. */
    public abstract static class ListenerReceiver extends Receiver {

        static volatile ReceiveCounter current;

        ConfigurableApplicationContext application;

        abstract String listener();

        /** Whether listener calls are Micrometer observations ({@code zmq.observation.enabled}). */
        boolean observed() {
            return false;
        }

        /** The application: plain, or with Micrometer meters bound ({@link MeteredListenerApplication}). */
        Class<?> application() {
            return ListenerApplication.class;
        }

        /** The observation registry of an observed application ({@link ObservedListenerApplication}). */
        ObservationRegistries observationRegistry() {
            return ObservationRegistries.METER;
        }

        @Setup(Level.Trial)
        public void start() {
            current = this.counter;
            this.application = new SpringApplicationBuilder(application()).web(WebApplicationType.NONE)
                .logStartupInfo(false)
                .properties("zmq.peers.bytesInbox.bind[0]=tcp://127.0.0.1:0",
                        "zmq.peers.stringInbox.bind[0]=tcp://127.0.0.1:0", "zmq.sockets.pull.type=PULL",
                        "zmq.sockets.pull.bind[0]=tcp://127.0.0.1:0", "bench.listener=" + listener(),
                        "logging.level.root=WARN", "zmq.observation.enabled=" + observed(),
                        "bench.observation-registry=" + observationRegistry())
                .run();
            if (listener().startsWith("peer")) {
                String inbox = listener().equals("peerBytes") ? "bytesInbox" : "stringInbox";
                this.sender = new PeerSender(this.application.getBean(inbox, ZmqPeer.class).boundEndpoints().get(0));
            }
            else {
                this.sender = new PushSender(this.application.getBean("pull", ZmqSocket.class).boundEndpoints().get(0));
            }
        }

        @TearDown(Level.Trial)
        public void stop() {
            this.sender.close();
            this.application.close();
        }
    }

    public static class PeerBytesListener extends ListenerReceiver {

        @Override
        String listener() {
            return "peerBytes";
        }
    }

    /** The byte[] PEER listener with metrics on: meters bound, so the container times every call. */
    public static class PeerBytesMeteredListener extends PeerBytesListener {

        @Override
        Class<?> application() {
            return MeteredListenerApplication.class;
        }
    }

    /**
     * The byte[] PEER listener with observation on: each call a {@code zmq.listener} observation, handled as the
     * registry says (Spring Boot's meter handler by default: timed).
     */
    public static class PeerBytesObservedListener extends PeerBytesListener {

        @Param({ "METER", "METER_WITHOUT_LONG_TASK_TIMER", "TRACING", "NOOP_HANDLER" })
        ObservationRegistries registry;

        @Override
        Class<?> application() {
            return ObservedListenerApplication.class;
        }

        @Override
        boolean observed() {
            return true;
        }

        @Override
        ObservationRegistries observationRegistry() {
            return this.registry;
        }
    }

    public static class PeerStringListener extends ListenerReceiver {

        @Override
        String listener() {
            return "peerString";
        }
    }

    public static class PullBytesListener extends ListenerReceiver {

        @Override
        String listener() {
            return "pullBytes";
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void peerRaw(RawPeer receiver) {
        receiver.run();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void peerListenerBytes(PeerBytesListener receiver) {
        receiver.run();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void peerListenerBytesWithMetrics(PeerBytesMeteredListener receiver) {
        receiver.run();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void peerListenerBytesWithObservation(PeerBytesObservedListener receiver) {
        receiver.run();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void peerListenerString(PeerStringListener receiver) {
        receiver.run();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void peerRawBytes(RawPeerBytes receiver) {
        receiver.run();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void pullRaw(RawPull receiver) {
        receiver.run();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void pullRawBytes(RawPullBytes receiver) {
        receiver.run();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void pullListenerBytes(PullBytesListener receiver) {
        receiver.run();
    }

    /** The application under test: one listener per kind, only the one named by {@code bench.listener} starts. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ZmqAutoConfiguration.class)
    public static class ListenerApplication {

        @Bean
        Handlers handlers() {
            return new Handlers();
        }
    }

    /** The same application with the starter's Micrometer meters bound to a registry (issue 5: "metrics on"). */
    @Configuration(proxyBeanMethods = false)
    @Import(ListenerApplication.class)
    @ImportAutoConfiguration(ZmqMetricsAutoConfiguration.class)
    public static class MeteredListenerApplication {

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    /**
     * The same application with {@code zmq.observation.enabled=true} and the observation registry named by
     * {@code bench.observation-registry} ({@link ObservationRegistries}: by default a handler that times each
     * observation, as Spring Boot's actuator sets one up).
     */
    @Configuration(proxyBeanMethods = false)
    @Import(ListenerApplication.class)
    @ImportAutoConfiguration(ZmqObservationAutoConfiguration.class)
    public static class ObservedListenerApplication {

        @Bean
        ObservationRegistry observationRegistry(@Value("${bench.observation-registry}") ObservationRegistries registry) {
            return registry.create();
        }
    }

    /** The listeners; each counts into the current receiver's counter. */
    public static class Handlers {

        @ZmqListener(id = "peerBytes", peer = "bytesInbox", autoStartup = "#{'${bench.listener}' == 'peerBytes'}")
        public void peerBytes(byte[] payload) {
            ListenerReceiver.current.increment(payload);
        }

        @ZmqListener(id = "peerString", peer = "stringInbox", autoStartup = "#{'${bench.listener}' == 'peerString'}")
        public void peerString(String payload) {
            ListenerReceiver.current.increment();
        }

        @ZmqListener(id = "pullBytes", socket = "pull", autoStartup = "#{'${bench.listener}' == 'pullBytes'}")
        public void pullBytes(byte[] payload) {
            ListenerReceiver.current.increment(payload);
        }
    }
}
