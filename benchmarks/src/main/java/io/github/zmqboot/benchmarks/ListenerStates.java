package io.github.zmqboot.benchmarks;

import io.github.zmqboot.benchmarks.ListenerApplications.Handlers;
import io.github.zmqboot.benchmarks.ListenerApplications.ListenerApplication;
import io.github.zmqboot.benchmarks.ListenerApplications.MeteredListenerApplication;
import io.github.zmqboot.benchmarks.ListenerApplications.ObservedListenerApplication;
import io.github.zmqboot.benchmarks.ListenerSenders.PeerSender;
import io.github.zmqboot.benchmarks.ListenerSenders.PushSender;
import io.github.zmqboot.benchmarks.ListenerSenders.Sender;
import io.github.zmqboot.core.ZmqPeer;
import io.github.zmqboot.core.ZmqSocket;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.zeromq.SocketType;
import zmq.Msg;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static io.github.zmqboot.benchmarks.ListenerBenchmark.BATCH;

/**
 * The receiving sides of {@link ListenerBenchmark}, as JMH states (public, as JMH's generated code needs them): the
 * raw JeroMQ receive loops (the baselines) and the Spring applications with one listener. An invocation sends a batch
 * and waits until the receiver counted all of it.
 */
public final class ListenerStates {

    private ListenerStates() {
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

        /** An application started in the JVM before the loop's sockets were made, or {@code null}. */
        ConfigurableApplicationContext neighbour;

        /** What starts in the JVM first: nothing here ({@link SpringJvmBenchmark}'s states start an application). */
        ConfigurableApplicationContext startNeighbour() {
            return null;
        }

        @Setup(Level.Trial)
        public void start() {
            this.neighbour = startNeighbour();
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
            if (this.neighbour != null) {
                this.neighbour.close();
            }
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

    /** A Spring application with one listener; {@link #listener()} names which. */
    public abstract static class ListenerReceiver extends Receiver {

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
            Handlers.current = this.counter;
            this.application = new SpringApplicationBuilder(application()).web(WebApplicationType.NONE)
                .logStartupInfo(false)
                .properties(ListenerApplications.SOCKETS)
                .properties("bench.listener=" + listener(), "logging.level.root=WARN", "zmq.observation.enabled=" + observed(),
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
}
