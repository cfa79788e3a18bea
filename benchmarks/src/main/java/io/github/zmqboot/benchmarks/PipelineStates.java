package io.github.zmqboot.benchmarks;

import io.github.zmqboot.core.ZmqProxy;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import org.springframework.context.ConfigurableApplicationContext;

import static io.github.zmqboot.benchmarks.ProxyApplication.application;
import static io.github.zmqboot.benchmarks.ProxyBenchmark.BATCH;
import static io.github.zmqboot.benchmarks.ProxyBenchmark.MESSAGE_SIZE;
import static io.github.zmqboot.benchmarks.ProxyBenchmarkSockets.RECEIVE_TIMEOUT_MILLIS;
import static io.github.zmqboot.benchmarks.ProxyBenchmarkSockets.received;
import static io.github.zmqboot.benchmarks.ProxyBenchmarkSockets.socket;

/**
 * The pipeline states of {@link ProxyBenchmark} (public, as JMH's generated code needs them): a PUSH client streaming
 * to a PULL client through a configured proxy, through JeroMQ's {@code ZMQ.proxy} (plain or steerable), or directly.
 */
public final class PipelineStates {

    private PipelineStates() {
    }

    /**
     * A PUSH client and a PULL client, connected through whatever the subclass puts between them. After the first
     * message went through, a sender thread of its own streams messages without pause (blocking at the high-water
     * mark); an operation receives {@value ProxyBenchmark#BATCH} of them. A stream keeps every stage of the pipeline
     * busy at once, as a pipeline runs in production: sending a batch and then receiving it left each stage idle while
     * the batch filled or drained the stages before or after it (about a quarter of the time, in a profile).
     */
    public abstract static class Pipeline {

        private final byte[] payload = new byte[MESSAGE_SIZE];

        ZContext clients;

        ZMQ.Socket push;

        ZMQ.Socket pull;

        private Thread sender;

        private volatile boolean streaming = true;

        /** Connects the clients to the two endpoints, waits until a message went through, and starts the stream. */
        void connect(String pushTo, String pullFrom) {
            this.clients = new ZContext(1);
            this.push = socket(this.clients, SocketType.PUSH);
            this.push.connect(pushTo);
            this.pull = socket(this.clients, SocketType.PULL);
            this.pull.setReceiveTimeOut(RECEIVE_TIMEOUT_MILLIS);
            this.pull.connect(pullFrom);
            startStream();
        }

        /** Sends one message through, then hands the PUSH socket to a sender thread that streams until closed. */
        void startStream() {
            this.push.send(this.payload);
            received(this.pull.recv());
            // a send timeout, so that the sender sees the end of the stream even while the pipeline is full
            this.push.setSendTimeOut(100);
            this.sender = new Thread(() -> {
                while (this.streaming) {
                    this.push.send(this.payload, 0);
                }
            }, "pipeline-sender");
            this.sender.setDaemon(true);
            this.sender.start();
        }

        /** Receives a batch from the stream. */
        int roundOfBatch() {
            int bytes = 0;
            for (int i = 0; i < BATCH; i++) {
                bytes += received(this.pull.recv()).length;
            }
            return bytes;
        }

        void closeClients() {
            this.streaming = false;
            try {
                this.sender.join(10_000); // out of its send within the send timeout
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            this.clients.close();
        }
    }

    /** Through a pull-push proxy declared in {@code zmq.proxies}. */
    @State(Scope.Thread)
    public static class ConfiguredPipeline extends Pipeline {

        private ConfigurableApplicationContext application;

        @Setup(Level.Trial)
        public void setUp() {
            this.application = application("zmq.proxies.pipe.type=pull-push",
                    "zmq.proxies.pipe.frontend.bind[0]=tcp://127.0.0.1:0",
                    "zmq.proxies.pipe.backend.bind[0]=tcp://127.0.0.1:0");
            ZmqProxy proxy = this.application.getBean("pipe", ZmqProxy.class);
            connect(proxy.frontendEndpoints().get(0), proxy.backendEndpoints().get(0));
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            System.out.println();
            System.out.println("statistics: " + this.application.getBean("pipe", ZmqProxy.class).statistics());
            closeClients();
            this.application.close();
        }
    }

    /** Through JeroMQ's {@code ZMQ.proxy} (PULL frontend, PUSH backend). */
    @State(Scope.Thread)
    public static class JeromqPipeline extends Pipeline {

        private JeromqProxy proxy;

        boolean steerable() {
            return false;
        }

        @Setup(Level.Trial)
        public void setUp() {
            this.proxy = new JeromqProxy(SocketType.PULL, SocketType.PUSH, steerable());
            connect(this.proxy.frontendEndpoint, this.proxy.backendEndpoint);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            closeClients();
            this.proxy.close();
        }
    }

    /** Through JeroMQ's steerable {@code ZMQ.proxy} (with a PAIR control socket). */
    @State(Scope.Thread)
    public static class JeromqSteerablePipeline extends JeromqPipeline {

        @Override
        boolean steerable() {
            return true;
        }
    }

    /** PUSH straight to PULL. */
    @State(Scope.Thread)
    public static class DirectPipeline extends Pipeline {

        @Setup(Level.Trial)
        public void setUp() {
            this.clients = new ZContext(1);
            ZMQ.Socket bound = socket(this.clients, SocketType.PULL);
            bound.setReceiveTimeOut(RECEIVE_TIMEOUT_MILLIS);
            int port = bound.bindToRandomPort("tcp://127.0.0.1");
            this.pull = bound;
            this.push = socket(this.clients, SocketType.PUSH);
            this.push.connect("tcp://127.0.0.1:" + port);
            startStream();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            closeClients();
        }
    }
}
