package io.github.zmqboot.benchmarks;

import java.util.ArrayList;
import java.util.List;

import io.github.zmqboot.core.ZmqProxy;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import org.springframework.context.ConfigurableApplicationContext;

import static io.github.zmqboot.benchmarks.ProxyApplication.application;
import static io.github.zmqboot.benchmarks.ProxyBenchmark.MESSAGE_SIZE;
import static io.github.zmqboot.benchmarks.ProxyBenchmark.ROUND_TRIPS;
import static io.github.zmqboot.benchmarks.ProxyBenchmarkSockets.HANDSHAKE_MILLIS;
import static io.github.zmqboot.benchmarks.ProxyBenchmarkSockets.RECEIVE_TIMEOUT_MILLIS;
import static io.github.zmqboot.benchmarks.ProxyBenchmarkSockets.received;
import static io.github.zmqboot.benchmarks.ProxyBenchmarkSockets.socket;

/**
 * The request-reply states of {@link ProxyBenchmark} (public, as JMH's generated code needs them): clients and echoing
 * REP workers through a configured router-dealer proxy, through JeroMQ's {@code ZMQ.proxy} (plain or steerable), or
 * connected directly.
 */
public final class RequestReplyStates {

    private static final byte[] EMPTY = new byte[0];

    private RequestReplyStates() {
    }

    /**
     * {@code clients} clients and {@code workers} echoing REP workers, connected through what the subclass puts
     * between them: a closed loop of constant concurrency (a reply is answered with the client's next request at once).
     * <p>
     * {@code clientLoop}: {@code pipelined-N}: DEALER clients on threads of their own, N requests outstanding each;
     * {@code thread-per-client}: REQ clients on threads of their own, in a blocking send/receive loop as REQ clients
     * are written; for both, an operation waits until {@value ProxyBenchmark#ROUND_TRIPS} more round trips completed.
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

        /** Waits for {@value ProxyBenchmark#ROUND_TRIPS} more round trips. */
        int roundTrips() {
            if (threadPerClient()) {
                // what completed between two operations (outside any measured time) is not credited to the next
                this.awaited = Math.max(this.awaited, this.completed.get()) + ROUND_TRIPS;
                this.completed.awaitAtLeast(this.awaited, RECEIVE_TIMEOUT_MILLIS);
                return ROUND_TRIPS * MESSAGE_SIZE;
            }
            return roundTripsWithOnePoller();
        }

        /**
         * Takes {@value ProxyBenchmark#ROUND_TRIPS} replies as they come, sending each client's next request at once.
         */
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

    /**
     * Diagnostic: through {@link ForwardingSketch}, a bare forwarder on the I/O thread of its sockets' connections
     * ({@code true}) or on a thread of its own ({@code false}).
     */
    abstract static class SketchRequestReply extends RequestReply {

        private ForwardingSketch sketch;

        abstract boolean onIoThread();

        @Setup(Level.Trial)
        public void setUp() {
            this.sketch = new ForwardingSketch(onIoThread());
            connectWorkers(this.sketch.backendEndpoint);
            connectClients(List.of(this.sketch.frontendEndpoint));
            startRequests();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            closeClients();
            this.sketch.close();
        }
    }

    public static class ForwardingOnIoThread extends SketchRequestReply {

        @Override
        boolean onIoThread() {
            return true;
        }
    }

    public static class ForwardingOnOwnThread extends SketchRequestReply {

        @Override
        boolean onIoThread() {
            return false;
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
}
