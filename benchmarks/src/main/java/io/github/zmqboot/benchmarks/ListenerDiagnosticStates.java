package io.github.zmqboot.benchmarks;

import io.github.zmqboot.benchmarks.ListenerApplications.ListenerApplication;
import io.github.zmqboot.benchmarks.ListenerSenders.PeerSender;
import io.github.zmqboot.benchmarks.ListenerStates.Receiver;
import io.github.zmqboot.core.ZmqPeer;
import io.github.zmqboot.internal.peer.DefaultZmqPeer;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The diagnostic receiving sides of {@link ListenerBenchmark}, as JMH states (public, as JMH's generated code needs
 * them): the listener's application with its peer read by a plain thread instead of a listener, to tell which part of
 * the listener's path costs what.
 */
public final class ListenerDiagnosticStates {

    private ListenerDiagnosticStates() {
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
            DefaultZmqPeer peer = (DefaultZmqPeer) this.application.getBean("unclaimed", ZmqPeer.class);
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
     * Diagnostic: a PEER the starter's factory made (its context, guards and socket set-up), bound either over the
     * engine's own tcp ({@code SocketBase.bind}) or over the starter's ({@code ManagedSocket.bind}: its listener and
     * ZMTP engine), and read by a plain thread with the engine's blocking receive: tells the tcp engine's share of a
     * gap from the rest of the socket's set-up.
     */
    public abstract static class FactoryPeerReceiver extends Receiver {

        ConfigurableApplicationContext application;

        io.github.zmqboot.internal.engine.ManagedSocket socket;

        volatile boolean running = true;

        abstract String bind(io.github.zmqboot.internal.engine.ManagedSocket socket);

        @Setup(Level.Trial)
        public void start() {
            this.application = new SpringApplicationBuilder(ListenerApplication.class).web(WebApplicationType.NONE)
                .logStartupInfo(false)
                .properties("zmq.peers.bytesInbox.bind[0]=tcp://127.0.0.1:0",
                        "zmq.peers.stringInbox.bind[0]=tcp://127.0.0.1:0", "zmq.sockets.pull.type=PULL",
                        "zmq.sockets.pull.bind[0]=tcp://127.0.0.1:0", "bench.listener=none", "logging.level.root=WARN")
                .run();
            this.socket = this.application.getBean(io.github.zmqboot.internal.engine.ZmqSocketFactory.class)
                .createSocket("diagnostic", org.zeromq.SocketType.PEER,
                        io.github.zmqboot.internal.engine.SocketOptions.lingerOnly(java.time.Duration.ZERO));
            String endpoint = bind(this.socket);
            zmq.SocketBase base = this.socket.base();
            base.setSocketOpt(zmq.ZMQ.ZMQ_RCVTIMEO, 100);
            Thread loop = new Thread(() -> {
                while (this.running) {
                    if (base.recv(0) != null) {
                        this.counter.increment();
                    }
                }
            }, "peer-loop");
            loop.setDaemon(true);
            loop.start();
            this.sender = new PeerSender(endpoint);
        }

        @TearDown(Level.Trial)
        public void stop() {
            this.running = false;
            this.sender.close();
            this.application.close();
        }
    }

    public static class FactoryPeerOnEngineTcp extends FactoryPeerReceiver {

        @Override
        String bind(io.github.zmqboot.internal.engine.ManagedSocket socket) {
            zmq.SocketBase base = socket.base();
            base.bind("tcp://127.0.0.1:*");
            return (String) base.getSocketOptx(zmq.ZMQ.ZMQ_LAST_ENDPOINT);
        }
    }

    public static class FactoryPeerOnStarterTcp extends FactoryPeerReceiver {

        @Override
        String bind(io.github.zmqboot.internal.engine.ManagedSocket socket) {
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
}
