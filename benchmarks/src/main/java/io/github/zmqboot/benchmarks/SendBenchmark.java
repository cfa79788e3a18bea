package io.github.zmqboot.benchmarks;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.github.zmqboot.autoconfigure.ZmqAutoConfiguration;
import io.github.zmqboot.autoconfigure.ZmqMetricsAutoConfiguration;
import io.github.zmqboot.core.ZmqPeer;
import io.github.zmqboot.core.ZmqSocket;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;
import zmq.Msg;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Messages per second sent from application threads through a socket bean ({@code ZmqSocket.send(byte[])},
 * {@code ZmqPeer.send(int, byte[])}) against a raw JeroMQ send loop on the same socket type, in the same run: 64-byte
 * messages over tcp on 127.0.0.1 to a raw JeroMQ receiver (PULL, SUB, ROUTER, PEER) in a context of its own, drained
 * by a thread of its own. Each operation is one send. Micrometer meters are bound (a {@link SimpleMeterRegistry});
 * observation is off.
 * <p>
 * Targets (issue 17): one thread through a PUSH, PUB or DEALER bean ≥ 80 % of the raw loop of that type; four threads
 * on one bean together ≥ 80 % of the raw single-thread loop; one thread through a PEER bean ≥ 80 % of a raw PEER
 * loop. The raw loops use the engine's blocking send, except PEER's, which sends without blocking and backs off on a
 * full queue (JeroMQ 0.6.0's blocking send on a PEER can miss the wake-up of a drained queue and wait out its
 * timeout). A PUB drops at its high-water mark in both forms, so its figure is the rate the application can publish
 * at, not the rate received.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 6, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SendBenchmark {

    static final byte[] PAYLOAD = new byte[64];

    static final long FULL_QUEUE_BACKOFF_NANOS = 20_000;

    static {
        Arrays.fill(PAYLOAD, (byte) 'x');
    }

    /** The receiving end: a raw JeroMQ socket drained by a thread of its own, counting the frames it took. */
    static final class Drain {

        private final RawServer server;

        final String endpoint;

        /** Frames taken, published every 1,024; written by the draining thread only. */
        private volatile long frames;

        private long taken;

        private final long started = System.nanoTime();

        Drain(SocketType type) {
            this.server = new RawServer(type, "drain-" + type, socket -> {
                if (type == SocketType.SUB) {
                    socket.subscribe(new byte[0]);
                }
            }, this::take);
            this.endpoint = this.server.endpoint;
        }

        private void take(zmq.SocketBase socket) {
            if (socket.recv(0) != null && (++this.taken & 1023) == 0) {
                this.frames = this.taken;
            }
        }

        /** Sends probes with {@code send} until the drain took some: the connection (and subscription) is ready. */
        void awaitFlowing(Runnable send) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            long before = this.frames;
            while (this.frames == before) {
                for (int i = 0; i < 1024; i++) {
                    send.run();
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Nothing reached the receiver within 30 s");
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }

        void close() {
            if (Boolean.getBoolean("sendBenchmark.printDelivered")) {
                long nanos = System.nanoTime() - this.started;
                System.out.printf("%n# delivered %.0f msg/s over the trial%n", this.frames * 1e9 / nanos);
            }
            this.server.close();
        }
    }

    /** A raw JeroMQ sender of one type, connected to its drain, used by one benchmark thread. */
    @State(Scope.Benchmark)
    public abstract static class RawSender {

        Drain drain;

        ZMQ.Context context;

        ZMQ.Socket socket;

        abstract SocketType type();

        abstract SocketType drainType();

        /** An application started in the JVM before the loop's sockets were made, or {@code null}. */
        ConfigurableApplicationContext neighbour;

        /** What starts in the JVM first: nothing here ({@link SpringJvmBenchmark}'s states start an application). */
        ConfigurableApplicationContext startNeighbour() {
            return null;
        }

        @Setup(Level.Trial)
        public void setUp() {
            this.neighbour = startNeighbour();
            this.drain = new Drain(drainType());
            this.context = ZMQ.context(1);
            this.socket = this.context.socket(type());
            this.socket.setLinger(0);
            this.socket.setHandshakeIvl(1000); // a fresh connect can stall in JeroMQ 0.6.0 until then
            connect();
            this.drain.awaitFlowing(this::send);
        }

        void connect() {
            this.socket.connect(this.drain.endpoint);
        }

        void send() {
            this.socket.send(PAYLOAD, 0);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            this.socket.close();
            this.context.term();
            this.drain.close();
            if (this.neighbour != null) {
                this.neighbour.close();
            }
        }
    }

    public static class RawPush extends RawSender {

        @Override
        SocketType type() {
            return SocketType.PUSH;
        }

        @Override
        SocketType drainType() {
            return SocketType.PULL;
        }
    }

    public static class RawPub extends RawSender {

        @Override
        SocketType type() {
            return SocketType.PUB;
        }

        @Override
        SocketType drainType() {
            return SocketType.SUB;
        }
    }

    public static class RawDealer extends RawSender {

        @Override
        SocketType type() {
            return SocketType.DEALER;
        }

        @Override
        SocketType drainType() {
            return SocketType.ROUTER;
        }
    }

    public static class RawPeer extends RawSender {

        int routingId;

        @Override
        SocketType type() {
            return SocketType.PEER;
        }

        @Override
        SocketType drainType() {
            return SocketType.PEER;
        }

        @Override
        void connect() {
            this.routingId = this.socket.connectPeer(this.drain.endpoint);
        }

        @Override
        void send() {
            zmq.SocketBase base = this.socket.base();
            Msg msg = new Msg(PAYLOAD);
            msg.setRoutingId(this.routingId);
            while (!base.send(msg, zmq.ZMQ.ZMQ_DONTWAIT)) {
                LockSupport.parkNanos(FULL_QUEUE_BACKOFF_NANOS);
            }
        }
    }

    /** The application with one socket bean named {@code out}, connected to its drain. */
    @State(Scope.Benchmark)
    public abstract static class BeanSender {

        Drain drain;

        ConfigurableApplicationContext application;

        abstract SocketType drainType();

        abstract String[] properties(String endpoint);

        abstract void send();

        @Setup(Level.Trial)
        public void setUp() {
            this.drain = new Drain(drainType());
            this.application = new SpringApplicationBuilder(SendApplication.class).web(WebApplicationType.NONE)
                .properties(properties(this.drain.endpoint))
                .properties("logging.level.root=WARN", "spring.main.banner-mode=off")
                .run();
            started();
            this.drain.awaitFlowing(this::send);
        }

        void started() {
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            this.application.close();
            this.drain.close();
        }
    }

    /** A {@code ZmqSocket} bean of one type. */
    public abstract static class SocketBean extends BeanSender {

        ZmqSocket bean;

        abstract SocketType type();

        @Override
        String[] properties(String endpoint) {
            return new String[] { "zmq.sockets.out.type=" + type(), "zmq.sockets.out.connect[0]=" + endpoint };
        }

        @Override
        void started() {
            this.bean = this.application.getBean("out", ZmqSocket.class);
        }

        @Override
        void send() {
            this.bean.send(PAYLOAD);
        }
    }

    public static class PushBean extends SocketBean {

        @Override
        SocketType type() {
            return SocketType.PUSH;
        }

        @Override
        SocketType drainType() {
            return SocketType.PULL;
        }
    }

    public static class PubBean extends SocketBean {

        @Override
        SocketType type() {
            return SocketType.PUB;
        }

        @Override
        SocketType drainType() {
            return SocketType.SUB;
        }
    }

    /**
     * Diagnostic: the engine's own blocking send on a PUB the starter's factory made (the starter's context and
     * transports, none of its send path), to tell the send path's cost from the transport's.
     */
    public static class PubEngineOnStarterSocket extends BeanSender {

        io.github.zmqboot.internal.engine.ManagedSocket socket;

        @Override
        SocketType drainType() {
            return SocketType.SUB;
        }

        @Override
        String[] properties(String endpoint) {
            return new String[0];
        }

        @Override
        void started() {
            io.github.zmqboot.internal.engine.ZmqSocketFactory factory = this.application
                .getBean(io.github.zmqboot.internal.engine.ZmqSocketFactory.class);
            this.socket = factory.createSocket("diagnostic", SocketType.PUB,
                    io.github.zmqboot.internal.engine.SocketOptions.lingerOnly(java.time.Duration.ZERO));
            this.socket.connect(this.drain.endpoint);
        }

        @Override
        void send() {
            this.socket.base().send(new Msg(PAYLOAD), 0);
        }
    }

    public static class DealerBean extends SocketBean {

        @Override
        SocketType type() {
            return SocketType.DEALER;
        }

        @Override
        SocketType drainType() {
            return SocketType.ROUTER;
        }
    }

    public static class PeerBean extends BeanSender {

        ZmqPeer bean;

        int routingId;

        @Override
        SocketType drainType() {
            return SocketType.PEER;
        }

        @Override
        String[] properties(String endpoint) {
            return new String[] { "zmq.peers.out.bind[0]=tcp://127.0.0.1:0" };
        }

        @Override
        void started() {
            this.bean = this.application.getBean("out", ZmqPeer.class);
            this.routingId = this.bean.connect(this.drain.endpoint);
        }

        @Override
        void send() {
            this.bean.send(this.routingId, PAYLOAD);
        }
    }

    @Benchmark
    public void pushRaw(RawPush sender) {
        sender.send();
    }

    @Benchmark
    public void pushBean(PushBean sender) {
        sender.send();
    }

    @Benchmark
    @Threads(4)
    public void pushBean4Threads(PushBean sender) {
        sender.send();
    }

    @Benchmark
    public void pubRaw(RawPub sender) {
        sender.send();
    }

    @Benchmark
    public void pubBean(PubBean sender) {
        sender.send();
    }

    @Benchmark
    @Threads(4)
    public void pubBean4Threads(PubBean sender) {
        sender.send();
    }

    @Benchmark
    public void diagnosticPubEngineOnStarterSocket(PubEngineOnStarterSocket sender) {
        sender.send();
    }

    @Benchmark
    public void dealerRaw(RawDealer sender) {
        sender.send();
    }

    @Benchmark
    public void dealerBean(DealerBean sender) {
        sender.send();
    }

    @Benchmark
    @Threads(4)
    public void dealerBean4Threads(DealerBean sender) {
        sender.send();
    }

    @Benchmark
    public void peerRaw(RawPeer sender) {
        sender.send();
    }

    @Benchmark
    public void peerBean(PeerBean sender) {
        sender.send();
    }

    /** The application under test, with the starter's Micrometer meters bound to a registry. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ ZmqAutoConfiguration.class, ZmqMetricsAutoConfiguration.class })
    public static class SendApplication {

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }
}
