package io.github.zmqboot.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.github.zmqboot.core.ZmqProxy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Throughput of a proxy configured under {@code zmq.proxies} (a real Spring Boot application), of JeroMQ's own
 * {@code ZMQ.proxy} (plain, and steerable with a PAIR control socket), and of direct sockets with no proxy, in the
 * same run, with 64-byte messages over tcp on 127.0.0.1. Every context has one I/O thread.
 * <ul>
 * <li>pipeline: a PUSH client streams messages from a thread of its own, a PULL client receives them (an operation
 * receives {@value #BATCH}); through a pull-push proxy, through {@code ZMQ.proxy} (PULL/PUSH), or PUSH straight to
 * PULL. Scores are messages per second.</li>
 * <li>request-reply ({@code clientsXworkers}, {@code clientLoop}): clients and echoing REP workers; through a
 * router-dealer proxy, through {@code ZMQ.proxy} (ROUTER/DEALER), or each client connected straight to every worker.
 * Scores are round trips per second. {@code pipelined-128}: DEALER clients, each on a thread of its own with 128
 * requests outstanding, so that the proxy carries a load (the form in which {@code ZMQ.proxy} reaches about 1/7 of
 * direct, the figure issue 4 quotes); {@code thread-per-client}: lock-step REQ clients on threads of their own, one
 * request outstanding each; {@code one-poller}: lock-step REQ clients served by the benchmark thread with one
 * poller. In the two lock-step forms every variant is bound by thread wake-ups (a round trip through a proxy
 * wakes about ten threads in turn on two cores), not by what a proxy does per message.</li>
 * </ul>
 * Our proxies count {@code STATISTICS} all along (they always do). Run:
 * {@code java -jar benchmarks/target/benchmarks.jar "ProxyBenchmark.(pipeline|requestReply)(ConfiguredProxy|JeromqProxy|Direct)$"
 * -p clientsXworkers=1x1,8x4 -p clientLoop=pipelined-128,thread-per-client -f 2 -wi 4 -w 2s -i 5 -r 3s}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ProxyBenchmark {

    /** Messages per pipeline operation. */
    static final int BATCH = 1000;

    /** Round trips per request-reply operation. */
    static final int ROUND_TRIPS = 64;

    static final int MESSAGE_SIZE = 64;

    private static final byte[] EMPTY = new byte[0];

    /** Generous: the engine's rare stalled tcp connect heals after the handshake interval (5 s, set below). */
    private static final int RECEIVE_TIMEOUT_MILLIS = 30_000;

    /** The starter's built-in handshake interval, on every socket here too (JeroMQ's default is 30 s). */
    private static final int HANDSHAKE_MILLIS = 5_000;

    // ---------------------------------------------------------------- pipeline

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int pipelineConfiguredProxy(ConfiguredPipeline pipeline) {
        return pipeline.roundOfBatch();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int pipelineJeromqProxy(JeromqPipeline pipeline) {
        return pipeline.roundOfBatch();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int pipelineJeromqSteerableProxy(JeromqSteerablePipeline pipeline) {
        return pipeline.roundOfBatch();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int pipelineDirect(DirectPipeline pipeline) {
        return pipeline.roundOfBatch();
    }

    // ---------------------------------------------------------------- request-reply

    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public int requestReplyConfiguredProxy(ConfiguredRequestReply requestReply) {
        return requestReply.roundTrips();
    }

    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public int requestReplyJeromqProxy(JeromqRequestReply requestReply) {
        return requestReply.roundTrips();
    }

    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public int requestReplyJeromqSteerableProxy(JeromqSteerableRequestReply requestReply) {
        return requestReply.roundTrips();
    }

    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public int requestReplyDirect(DirectRequestReply requestReply) {
        return requestReply.roundTrips();
    }

    // ---------------------------------------------------------------- states

    /**
     * A PUSH client and a PULL client, connected through whatever the subclass puts between them. After the first
     * message went through, a sender thread of its own streams messages without pause (blocking at the high-water
     * mark); an operation receives {@value #BATCH} of them. A stream keeps every stage of the pipeline busy at once,
     * as a pipeline runs in production: sending a batch and then receiving it left each stage idle while the batch
     * filled or drained the stages before or after it (about a quarter of the time, in a profile).
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

    /**
     * {@code clients} clients and {@code workers} echoing REP workers, connected through what the subclass puts
     * between them: a closed loop of constant concurrency (a reply is answered with the client's next request at once).
     * <p>
     * {@code clientLoop}: {@code pipelined-N}: DEALER clients on threads of their own, N requests outstanding each;
     * {@code thread-per-client}: REQ clients on threads of their own, in a blocking send/receive loop as REQ clients
     * are written; for both, an operation waits until {@value #ROUND_TRIPS} more round trips completed.
     * {@code one-poller}: REQ clients served by the benchmark thread from one {@code ZMQ.Poller} (that thread spends
     * most of its time in JeroMQ's {@code poll}, which registers every socket's channel with a selector again on each
     * call, and sends the next requests in bursts).
     */
    @State(Scope.Thread)
    public abstract static class RequestReply {

        /** Clients x REP workers. */
        @Param({ "1x1", "8x4" })
        public String clientsXworkers;

        /** What kind of clients, driven how (see above). */
        @Param({ "pipelined-128", "thread-per-client", "one-poller" })
        public String clientLoop;

        private final byte[] payload = new byte[MESSAGE_SIZE];

        ZContext context;

        final List<ZMQ.Socket> requesters = new ArrayList<>();

        final List<EchoWorker> workers = new ArrayList<>();

        private ZMQ.Poller poller;

        private final RoundTripCount completed = new RoundTripCount();

        private final List<Thread> clientThreads = new ArrayList<>();

        private volatile boolean conversing = true;

        /** Round trips the operations so far waited for. */
        private long awaited;

        int clients() {
            return Integer.parseInt(this.clientsXworkers.substring(0, this.clientsXworkers.indexOf('x')));
        }

        int workerCount() {
            return Integer.parseInt(this.clientsXworkers.substring(this.clientsXworkers.indexOf('x') + 1));
        }

        private boolean threadPerClient() {
            return !this.clientLoop.equals("one-poller");
        }

        /** Requests each client keeps outstanding: 1 for REQ clients, N for {@code pipelined-N} (DEALER clients). */
        private int depth() {
            return this.clientLoop.startsWith("pipelined-")
                    ? Integer.parseInt(this.clientLoop.substring("pipelined-".length())) : 1;
        }

        /** Starts the workers, each connected to {@code endpoint}. */
        void connectWorkers(String endpoint) {
            for (int i = 0; i < workerCount(); i++) {
                this.workers.add(EchoWorker.connectedTo(endpoint));
            }
        }

        /**
         * Connects every client to every endpoint (REQ shares its requests among them) and makes sure each gets a
         * reply: a client whose first request is lost (the engine's rare stalled connect) is replaced, as a lazy
         * pirate client would do.
         */
        void connectClients(List<String> endpoints) {
            this.context = new ZContext(1);
            for (int i = 0; i < clients(); i++) {
                this.requesters.add(requester(endpoints));
            }
            for (int i = 0; i < this.requesters.size(); i++) {
                for (int attempt = 1; !firstRoundTrip(this.requesters.get(i)); attempt++) {
                    if (attempt == 5) {
                        throw new IllegalStateException("client " + i + " got no reply in " + attempt + " attempts");
                    }
                    this.context.destroySocket(this.requesters.get(i));
                    this.requesters.set(i, requester(endpoints));
                }
            }
        }

        private ZMQ.Socket requester(List<String> endpoints) {
            ZMQ.Socket requester = socket(this.context, depth() > 1 ? SocketType.DEALER : SocketType.REQ);
            requester.setReceiveTimeOut(RECEIVE_TIMEOUT_MILLIS);
            endpoints.forEach(requester::connect);
            return requester;
        }

        private boolean firstRoundTrip(ZMQ.Socket requester) {
            requester.setReceiveTimeOut(HANDSHAKE_MILLIS * 2);
            try {
                send(requester);
                return receive(requester) != null;
            }
            finally {
                requester.setReceiveTimeOut(RECEIVE_TIMEOUT_MILLIS);
            }
        }

        /**
         * Starts the clients' loops (each keeps its requests outstanding until the trial ends), or, for
         * {@code one-poller}, puts one request outstanding on every client.
         */
        void startRequests() {
            if (threadPerClient()) {
                for (int i = 0; i < this.requesters.size(); i++) {
                    ZMQ.Socket requester = this.requesters.get(i);
                    Thread client = new Thread(() -> converse(requester), "req-client-" + i);
                    client.setDaemon(true);
                    this.clientThreads.add(client);
                    client.start();
                }
                return;
            }
            this.poller = this.context.createPoller(this.requesters.size());
            for (ZMQ.Socket requester : this.requesters) {
                this.poller.register(requester, ZMQ.Poller.POLLIN);
                requester.send(this.payload);
            }
        }

        /**
         * A client's loop: puts {@link #depth()} requests outstanding, then answers each reply with its next request
         * and counts it.
         */
        private void converse(ZMQ.Socket requester) {
            // a short receive timeout, so that the loop sees the end of the run; a late reply is waited for again
            requester.setReceiveTimeOut(100);
            for (int i = 1; i < depth(); i++) {
                send(requester);
            }
            while (this.conversing) {
                send(requester);
                byte[] reply = receive(requester);
                while (reply == null && this.conversing) {
                    reply = receive(requester);
                }
                if (reply != null) {
                    this.completed.increment();
                }
            }
        }

        /** Sends a request: a REQ adds the empty delimiter frame itself, a DEALER client sends it (for REP). */
        private void send(ZMQ.Socket requester) {
            if (requester.getSocketType() == SocketType.DEALER) {
                requester.sendMore(EMPTY);
            }
            requester.send(this.payload);
        }

        /** Receives a reply (a DEALER client gets the delimiter frame first), or null after the receive timeout. */
        private byte[] receive(ZMQ.Socket requester) {
            byte[] frame = requester.recv();
            if (frame != null && requester.getSocketType() == SocketType.DEALER) {
                frame = received(requester.recv()); // the rest of a message arrives with its first frame
            }
            return frame;
        }

        /** Waits for {@value #ROUND_TRIPS} more round trips. */
        int roundTrips() {
            if (threadPerClient()) {
                // what completed between two operations (outside any measured time) is not credited to the next
                this.awaited = Math.max(this.awaited, this.completed.get()) + ROUND_TRIPS;
                this.completed.awaitAtLeast(this.awaited, RECEIVE_TIMEOUT_MILLIS);
                return ROUND_TRIPS * MESSAGE_SIZE;
            }
            return roundTripsWithOnePoller();
        }

        /** Takes {@value #ROUND_TRIPS} replies as they come, sending each client's next request at once. */
        private int roundTripsWithOnePoller() {
            int bytes = 0;
            int replies = 0;
            while (replies < ROUND_TRIPS) {
                if (this.poller.poll(RECEIVE_TIMEOUT_MILLIS) <= 0) {
                    throw new IllegalStateException("no reply within " + RECEIVE_TIMEOUT_MILLIS + " ms");
                }
                for (int i = 0; i < this.requesters.size() && replies < ROUND_TRIPS; i++) {
                    if (this.poller.pollin(i)) {
                        ZMQ.Socket requester = this.requesters.get(i);
                        bytes += received(requester.recv()).length;
                        requester.send(this.payload);
                        replies++;
                    }
                }
            }
            return bytes;
        }

        void closeClients() {
            this.conversing = false;
            for (Thread client : this.clientThreads) {
                try {
                    client.join(10_000); // out of its receive within its timeout
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
            if (this.poller != null) {
                this.poller.close();
            }
            this.context.close();
            this.workers.forEach(EchoWorker::close);
        }
    }

    /**
     * Round trips completed by any number of client threads; the benchmark thread waits for a count parked, woken by
     * the client that reaches it (a spinning wait would take one of the machine's two cores).
     */
    static final class RoundTripCount {

        private final AtomicLong count = new AtomicLong();

        private volatile long target = Long.MAX_VALUE;

        private volatile Thread waiter;

        void increment() {
            if (this.count.incrementAndGet() >= this.target) {
                LockSupport.unpark(this.waiter);
            }
        }

        long get() {
            return this.count.get();
        }

        void awaitAtLeast(long target, long timeoutMillis) {
            this.waiter = Thread.currentThread();
            this.target = target;
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            while (this.count.get() < target) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no round trip completed within " + timeoutMillis + " ms");
                }
                LockSupport.parkNanos(1_000_000); // woken at the target; the timeout only bounds a lost wake-up
            }
            this.target = Long.MAX_VALUE;
        }
    }

    /** Through a router-dealer proxy declared in {@code zmq.proxies}. */
    public static class ConfiguredRequestReply extends RequestReply {

        private ConfigurableApplicationContext application;

        @Setup(Level.Trial)
        public void setUp() {
            this.application = application("zmq.proxies.broker.type=router-dealer",
                    "zmq.proxies.broker.frontend.bind[0]=tcp://127.0.0.1:0",
                    "zmq.proxies.broker.backend.bind[0]=tcp://127.0.0.1:0");
            ZmqProxy proxy = this.application.getBean("broker", ZmqProxy.class);
            connectWorkers(proxy.backendEndpoints().get(0));
            connectClients(proxy.frontendEndpoints());
            startRequests();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            System.out.println();
            System.out.println("statistics: " + this.application.getBean("broker", ZmqProxy.class).statistics());
            closeClients();
            this.application.close();
        }
    }

    /** Through JeroMQ's {@code ZMQ.proxy} (ROUTER frontend, DEALER backend). */
    public static class JeromqRequestReply extends RequestReply {

        private JeromqProxy proxy;

        boolean steerable() {
            return false;
        }

        @Setup(Level.Trial)
        public void setUp() {
            this.proxy = new JeromqProxy(SocketType.ROUTER, SocketType.DEALER, steerable());
            connectWorkers(this.proxy.backendEndpoint);
            connectClients(List.of(this.proxy.frontendEndpoint));
            startRequests();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            closeClients();
            this.proxy.close();
        }
    }

    /** Through JeroMQ's steerable {@code ZMQ.proxy} (with a PAIR control socket). */
    public static class JeromqSteerableRequestReply extends JeromqRequestReply {

        @Override
        boolean steerable() {
            return true;
        }
    }

    /** REQ straight to REP. */
    public static class DirectRequestReply extends RequestReply {

        @Setup(Level.Trial)
        public void setUp() {
            for (int i = 0; i < workerCount(); i++) {
                this.workers.add(EchoWorker.bound());
            }
            connectClients(this.workers.stream().map(worker -> worker.endpoint).toList());
            startRequests();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            closeClients();
        }
    }

    // ---------------------------------------------------------------- helpers

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

    static ConfigurableApplicationContext application(String... properties) {
        return new SpringApplicationBuilder(BenchmarkApplication.class).web(WebApplicationType.NONE)
            .bannerMode(Banner.Mode.OFF)
            .logStartupInfo(false)
            .properties(properties)
            .run();
    }

    /**
     * JeroMQ's own proxy on a thread of its own, without capture: plain ({@code ZMQ.proxy(frontend, backend,
     * null)}, ended by terminating its context) or steerable (with a PAIR control socket, the JeroMQ equivalent of
     * a proxy that can be paused and terminated; ended by {@code TERMINATE}). Its thread closes its sockets.
     */
    static final class JeromqProxy {

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

    /** A REP socket on a thread of its own that answers every request with the request. */
    static final class EchoWorker {

        final String endpoint;

        private final ZContext context = new ZContext(1);

        private final ZMQ.Socket socket;

        private final Thread thread;

        private volatile boolean running = true;

        private EchoWorker(boolean bind, String endpoint) {
            this.socket = socket(this.context, SocketType.REP);
            this.socket.setReceiveTimeOut(100);
            if (bind) {
                this.endpoint = "tcp://127.0.0.1:" + this.socket.bindToRandomPort("tcp://127.0.0.1");
            }
            else {
                this.endpoint = endpoint;
                this.socket.connect(endpoint);
            }
            this.thread = new Thread(this::serve, "echo-worker");
            this.thread.start();
        }

        static EchoWorker bound() {
            return new EchoWorker(true, null);
        }

        static EchoWorker connectedTo(String endpoint) {
            return new EchoWorker(false, endpoint);
        }

        private void serve() {
            while (this.running) {
                byte[] request = this.socket.recv();
                if (request != null) {
                    this.socket.send(request);
                }
            }
        }

        void close() {
            this.running = false;
            try {
                this.thread.join(10_000);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            this.context.close();
        }
    }

    /** The application that declares the proxies: only the auto-configuration. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    public static class BenchmarkApplication {

    }
}
