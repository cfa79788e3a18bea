package io.github.zmqboot.benchmarks;

import java.time.Duration;

import io.github.zmqboot.benchmarks.ListenerApplications.ListenerApplication;
import io.github.zmqboot.benchmarks.ListenerSenders.PeerSender;
import io.github.zmqboot.benchmarks.ListenerStates.Receiver;
import io.github.zmqboot.core.ZmqPeer;
import io.github.zmqboot.internal.context.ZmqContextManager;
import io.github.zmqboot.internal.engine.ConcurrentReadLoop;
import io.github.zmqboot.internal.engine.ManagedSocket;
import io.github.zmqboot.internal.engine.SocketOptions;
import io.github.zmqboot.internal.engine.ZmqSocketFactory;
import io.github.zmqboot.internal.peer.DefaultZmqPeer;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.zeromq.SocketType;
import zmq.SocketBase;
import zmq.ZMQ;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The diagnostic receiving sides of {@link ListenerBenchmark}, as JMH states (public, as JMH's generated code needs
 * them): the listener's application with a PEER read by a plain thread instead of a listener, to tell which part of
 * the listener's path costs what.
 */
public final class ListenerDiagnosticStates {

    private ListenerDiagnosticStates() {
    }

    /**
     * The same Spring application (no listener running) with a PEER read by a thread of its own: a peer bean no
     * listener claims, or a socket made by the starter's factory.
     */
    public abstract static class PeerLoopReceiver extends Receiver {

        ConfigurableApplicationContext application;

        volatile boolean running = true;

        /** The plain reading thread, if {@link #startReading()} started one. */
        Thread reader;

        /** Starts reading a PEER of the started application; returns the endpoint the sender connects to. */
        abstract String startReading();

        @Setup(Level.Trial)
        public void start() {
            this.application = new SpringApplicationBuilder(ListenerApplication.class).web(WebApplicationType.NONE)
                .logStartupInfo(false)
                .properties(ListenerApplications.SOCKETS)
                .properties("zmq.peers.unclaimed.bind[0]=tcp://127.0.0.1:0", "bench.listener=none",
                        "logging.level.root=WARN")
                .run();
            this.sender = new PeerSender(startReading());
        }

        @TearDown(Level.Trial)
        public void stop() {
            this.running = false;
            if (this.reader != null) {
                try {
                    this.reader.join(5_000); // its receive gives up every 100 ms
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
            this.sender.close();
            closeReading();
            this.application.close();
        }

        /** Closes what {@link #startReading()} made outside the application (before the application closes). */
        void closeReading() {
        }

        /** A peer bean no listener claims (a claimed peer's receive throws, stopped listener or not). */
        DefaultZmqPeer unclaimedPeer() {
            return (DefaultZmqPeer) this.application.getBean("unclaimed", ZmqPeer.class);
        }

        /** Runs {@code loop} on a daemon thread of its own, which {@link #stop()} waits for. */
        void startThread(Runnable loop) {
            this.reader = new Thread(loop, "peer-loop");
            this.reader.setDaemon(true);
            this.reader.start();
        }

        /** Counts what the engine's blocking receive (100 ms at a time) takes off {@code base}, until the trial ends. */
        void readBlocking(SocketBase base) {
            base.setSocketOpt(ZMQ.ZMQ_RCVTIMEO, 100);
            startThread(() -> {
                while (this.running) {
                    if (base.recv(0) != null) {
                        this.counter.increment();
                    }
                }
            });
        }
    }

    /** The engine's blocking receive on a peer bean's socket: isolates the socket's set-up from the listener. */
    public static class EngineBlockingOnStarterSocket extends PeerLoopReceiver {

        @Override
        String startReading() {
            DefaultZmqPeer peer = unclaimedPeer();
            readBlocking(peer.managedSocket().base());
            return peer.boundEndpoints().get(0);
        }
    }

    /**
     * A PEER the starter's factory made (its context, guards and socket set-up, not a bean's), bound either over the
     * engine's own tcp ({@code SocketBase.bind}) or over the starter's ({@code ManagedSocket.bind}: its listener and
     * ZMTP engine), read with the engine's blocking receive: tells the tcp engine's share of a gap.
     */
    public abstract static class FactoryPeerReceiver extends PeerLoopReceiver {

        abstract String bind(ManagedSocket socket);

        @Override
        String startReading() {
            ManagedSocket socket = this.application.getBean(ZmqSocketFactory.class)
                .createSocket("diagnostic", SocketType.PEER, SocketOptions.lingerOnly(Duration.ZERO));
            String endpoint = bind(socket);
            readBlocking(socket.base());
            return endpoint;
        }
    }

    public static class FactoryPeerOnEngineTcp extends FactoryPeerReceiver {

        @Override
        String bind(ManagedSocket socket) {
            SocketBase base = socket.base();
            base.bind("tcp://127.0.0.1:*");
            return (String) base.getSocketOptx(ZMQ.ZMQ_LAST_ENDPOINT);
        }
    }

    public static class FactoryPeerOnStarterTcp extends FactoryPeerReceiver {

        @Override
        String bind(ManagedSocket socket) {
            long stamp = socket.enter();
            try {
                return socket.bind("tcp://127.0.0.1:0");
            }
            finally {
                socket.exit(stamp);
            }
        }
    }

    /**
     * A PEER made straight in a context (no factory, no guards, the engine's own tcp) and read by the same plain loop
     * as the other diagnostics, in the JVM where the listener's application started: the like-for-like reference for
     * them (same loop, same JVM, same neighbours).
     */
    public abstract static class EnginePeerReceiver extends PeerLoopReceiver {

        org.zeromq.ZMQ.Socket socket;

        abstract org.zeromq.ZMQ.Context context();

        @Override
        String startReading() {
            this.socket = context().socket(SocketType.PEER);
            this.socket.bind("tcp://127.0.0.1:*");
            readBlocking(this.socket.base());
            return this.socket.getLastEndpoint();
        }

        @Override
        void closeReading() {
            this.socket.setLinger(0);
            this.socket.close();
        }
    }

    /** In a context of its own, as the raw loop's. */
    public static class EnginePeerInOwnContext extends EnginePeerReceiver {

        org.zeromq.ZMQ.Context own;

        @Override
        org.zeromq.ZMQ.Context context() {
            this.own = org.zeromq.ZMQ.context(1);
            return this.own;
        }

        @Override
        void closeReading() {
            super.closeReading();
            this.own.term();
        }
    }

    /** In the starter's context (beside the application's sockets, on the same I/O thread). */
    public static class EnginePeerInStarterContext extends EnginePeerReceiver {

        @Override
        org.zeromq.ZMQ.Context context() {
            return this.application.getBean(ZmqContextManager.class).context();
        }
    }

    /**
     * The listener's reading loop ({@code ConcurrentReadLoop}: waits in the engine, batches, gate) with a reader that
     * only counts: isolates the loop from the listener's dispatch (message objects, Spring's invocation, counters).
     */
    public static class ReadLoopCountingOnly extends PeerLoopReceiver {

        @Override
        String startReading() {
            DefaultZmqPeer peer = unclaimedPeer();
            // the loop ends when the application closes the socket
            ConcurrentReadLoop.start(peer.managedSocket(), message -> this.counter.increment(message.frames()[0]),
                    "counting-read-loop");
            return peer.boundEndpoints().get(0);
        }
    }

    /** {@code ZmqPeer.receive} in a loop: isolates the wait outside the engine's lock. */
    public static class PeerReceiveMethod extends PeerLoopReceiver {

        @Override
        String startReading() {
            DefaultZmqPeer peer = unclaimedPeer();
            startThread(() -> {
                while (this.running) {
                    try {
                        if (peer.receive(Duration.ofMillis(100)) != null) {
                            this.counter.increment();
                        }
                    }
                    catch (RuntimeException ex) {
                        return;
                    }
                }
            });
            return peer.boundEndpoints().get(0);
        }
    }
}
