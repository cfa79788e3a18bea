package io.github.zmqboot.guard;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import io.github.zmqboot.core.ZmqPeer;
import io.github.zmqboot.guard.GuardTestApplication.Running;
import io.github.zmqboot.guard.RawZmtpClient.HostileSize;
import io.github.zmqboot.internal.peer.DefaultZmqPeer;
import io.github.zmqboot.internal.engine.ManagedSocket;
import io.github.zmqboot.internal.engine.ZmqSocketFactory;
import io.github.zmqboot.testing.QuietOutputCaptureExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.extension.ExtendWith;
import org.zeromq.SocketType;

import static io.github.zmqboot.guard.TestSockets.text;
import static io.github.zmqboot.guard.TestSockets.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The CVE-2019-6250 payload (JeroMQ #1005) sent over a plain {@link java.net.Socket} to a PEER bean and to PULL and
 * ROUTER sockets made by the socket factory, after a ZMTP/2.0 greeting and after a complete ZMTP/3.1 NULL
 * handshake. On an unguarded JeroMQ 0.6.0 socket the first hostile frame spins the I/O thread for ever
 * ({@link UnguardedEngineTest} shows it); here, legitimate traffic before and after it is delivered from the same
 * connection and from new clients, the hostile frames are counted, no I/O thread spins, and the application context
 * closes within linger + 1 s.
 */
@ExtendWith(QuietOutputCaptureExtension.class)
@Timeout(120)
class CvePayloadTest {

    private static final Duration RECEIVE = Duration.ofSeconds(10);

    @RegisterExtension
    final GuardApplications applications = new GuardApplications();

    private Running app;


    enum Protocol {
        ZMTP2, ZMTP3
    }

    enum Kind {
        PEER, PULL, ROUTER, PROXY
    }

    static Stream<Arguments> targets() {
        return Stream.of(Kind.values())
            .flatMap(kind -> Stream.of(Protocol.values()).map(protocol -> Arguments.of(kind, protocol)));
    }

    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("targets")
    void hostileFrameSizesNeitherStopTheSocketNorItsIoThreadNorShutdown(Kind kind, Protocol protocol)
            throws IOException {
        this.app = this.applications.start("zmq.peers.target.bind[0]=tcp://127.0.0.1:0", "zmq.peers.bob.linger=0",
                "zmq.proxies.pipe.type=pull-push", "zmq.proxies.pipe.frontend.bind[0]=tcp://127.0.0.1:0",
                "zmq.proxies.pipe.backend.bind[0]=tcp://127.0.0.1:0");
        Target target = switch (kind) {
            case PEER -> new PeerTarget(this.app);
            case PULL -> new PullTarget(this.app);
            case ROUTER -> new RouterTarget(this.app);
            case PROXY -> new ProxyFrontendTarget(this.app);
        };
        IoThreads ioThreads = this.app.ioThreads();

        try (RawZmtpClient attacker = target.rawClient(protocol)) {
            attacker.send("before");
            Delivered before = target.receive();
            assertThat(before.payload()).isEqualTo("before");

            long guarded = 0;
            Delivered last = null;
            for (HostileSize size : HostileSize.values()) {
                attacker.sendRaw(size.frameHeader());
                if (size.guarded) {
                    long dropped = ++guarded;
                    await("the guard dropped the " + size + " frame").atMost(RECEIVE)
                        .until(() -> target.rejectedFrames() == dropped);
                }
                else {
                    // (int) 0x80000000_00000000 is 0: the engine reads a complete, empty message
                    assertThat(target.receive().payload()).as("the " + size + " frame").isEmpty();
                }
                // in a read of its own: on an unguarded engine, the read after the hostile size is the one that spins
                attacker.send("after-" + size);
                last = target.receive();
                assertThat(last.payload()).as("the message after the " + size + " frame").isEqualTo("after-" + size);
            }
            // hostile size and next frame in one write (unguarded, the connection would go dead instead of spinning)
            attacker.sendRaw(concat(HostileSize.ALL_ONES.frameHeader(), RawZmtpClient.frame(0, utf8("after-both"))));
            last = target.receive();
            assertThat(last.payload()).isEqualTo("after-both");
            assertThat(target.rejectedFrames()).as("hostile frames dropped by the guard").isEqualTo(guarded + 1);

            if (target.canReply()) {
                target.reply(last, "reply-on-the-same-connection");
                assertThat(attacker.readMessage()).isEqualTo("reply-on-the-same-connection");
            }

            try (RawZmtpClient fresh = target.rawClient(protocol)) {
                fresh.send("from-a-new-raw-client");
                assertThat(target.receive().payload()).isEqualTo("from-a-new-raw-client");
            }
            target.roundTripWithANewRealClient();

            ioThreads.assertNotSpinning();
            // the attacker's connection is still open while the application closes
            this.app.closeWithinLingerPlusOneSecond();
        }
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    /** A received message: its last frame as text, and what a reply needs (routing id, ROUTER identity). */
    record Delivered(String payload, Object replyTo) {
    }

    private interface Target {

        RawZmtpClient rawClient(Protocol protocol) throws IOException;

        Delivered receive();

        boolean canReply();

        void reply(Delivered to, String payload);

        long rejectedFrames();

        /** A real JeroMQ client of a compatible type connects and exchanges messages (or, to a PULL, sends one). */
        void roundTripWithANewRealClient();
    }

    /** A configured PEER bean ({@code zmq.peers.target}); the new client is the peer bean {@code bob}. */
    private static final class PeerTarget implements Target {

        private final ZmqPeer peer;

        private final ZmqPeer bob;

        private final int port;

        PeerTarget(Running app) {
            this.peer = app.bean("target", ZmqPeer.class);
            this.bob = app.bean("bob", ZmqPeer.class);
            this.port = TestSockets.port(this.peer.boundEndpoints().get(0));
        }

        @Override
        public RawZmtpClient rawClient(Protocol protocol) throws IOException {
            return protocol == Protocol.ZMTP2 ? RawZmtpClient.zmtp2(this.port, zmq.ZMQ.ZMQ_PEER)
                    : RawZmtpClient.zmtp3(this.port, "PEER");
        }

        @Override
        public Delivered receive() {
            ZmqPeer.Received received = this.peer.receive(RECEIVE);
            assertThat(received).as("message received by the PEER").isNotNull();
            return new Delivered(text(received.payload()), received.routingId());
        }

        @Override
        public boolean canReply() {
            return true;
        }

        @Override
        public void reply(Delivered to, String payload) {
            this.peer.send((Integer) to.replyTo(), payload);
        }

        @Override
        public long rejectedFrames() {
            return ((DefaultZmqPeer) this.peer).managedSocket().rejectedFrames();
        }

        @Override
        public void roundTripWithANewRealClient() {
            int targetId = this.bob.connect(this.peer.boundEndpoints().get(0));
            this.bob.send(targetId, "ping-from-bob");
            Delivered ping = receive();
            assertThat(ping.payload()).isEqualTo("ping-from-bob");
            reply(ping, "pong-to-bob");
            ZmqPeer.Received pong = this.bob.receive(RECEIVE);
            assertThat(pong).as("reply received by bob").isNotNull();
            assertThat(text(pong.payload())).isEqualTo("pong-to-bob");
        }
    }

    /** A PULL socket from the factory; the new client is a factory PUSH. */
    private static final class PullTarget implements Target {

        private final ZmqSocketFactory factory;

        private final ManagedSocket pull;

        private final String endpoint;

        PullTarget(Running app) {
            this.factory = app.bean(ZmqSocketFactory.class);
            this.pull = TestSockets.bound(this.factory, "pull", SocketType.PULL);
            this.endpoint = TestSockets.endpoint(this.pull);
        }

        @Override
        public RawZmtpClient rawClient(Protocol protocol) throws IOException {
            int port = TestSockets.port(this.endpoint);
            return protocol == Protocol.ZMTP2 ? RawZmtpClient.zmtp2(port, zmq.ZMQ.ZMQ_PUSH)
                    : RawZmtpClient.zmtp3(port, "PUSH");
        }

        @Override
        public Delivered receive() {
            List<byte[]> frames = TestSockets.receive(this.pull, RECEIVE);
            assertThat(frames).as("message received by the PULL").isNotNull().hasSize(1);
            return new Delivered(text(frames.get(0)), null);
        }

        @Override
        public boolean canReply() {
            return false;
        }

        @Override
        public void reply(Delivered to, String payload) {
            throw new UnsupportedOperationException("PULL cannot reply");
        }

        @Override
        public long rejectedFrames() {
            return this.pull.rejectedFrames();
        }

        @Override
        public void roundTripWithANewRealClient() {
            ManagedSocket push = TestSockets.connected(this.factory, "push", SocketType.PUSH, this.endpoint);
            TestSockets.send(push, "from-a-new-push");
            assertThat(receive().payload()).isEqualTo("from-a-new-push");
        }
    }

    /** A ROUTER socket from the factory; the new client is a factory DEALER. */
    private static final class RouterTarget implements Target {

        private final ZmqSocketFactory factory;

        private final ManagedSocket router;

        private final String endpoint;

        RouterTarget(Running app) {
            this.factory = app.bean(ZmqSocketFactory.class);
            this.router = TestSockets.bound(this.factory, "router", SocketType.ROUTER);
            this.endpoint = TestSockets.endpoint(this.router);
        }

        @Override
        public RawZmtpClient rawClient(Protocol protocol) throws IOException {
            int port = TestSockets.port(this.endpoint);
            return protocol == Protocol.ZMTP2 ? RawZmtpClient.zmtp2(port, zmq.ZMQ.ZMQ_DEALER)
                    : RawZmtpClient.zmtp3(port, "DEALER");
        }

        @Override
        public Delivered receive() {
            List<byte[]> frames = TestSockets.receive(this.router, RECEIVE);
            assertThat(frames).as("message received by the ROUTER: [identity, payload]").isNotNull().hasSize(2);
            return new Delivered(text(frames.get(1)), frames.get(0));
        }

        @Override
        public boolean canReply() {
            return true;
        }

        @Override
        public void reply(Delivered to, String payload) {
            TestSockets.send(this.router, (byte[]) to.replyTo(), utf8(payload));
        }

        @Override
        public long rejectedFrames() {
            return this.router.rejectedFrames();
        }

        @Override
        public void roundTripWithANewRealClient() {
            ManagedSocket dealer = TestSockets.connected(this.factory, "dealer", SocketType.DEALER, this.endpoint);
            TestSockets.send(dealer, "ping-from-dealer");
            Delivered ping = receive();
            assertThat(ping.payload()).isEqualTo("ping-from-dealer");
            reply(ping, "pong-to-dealer");
            List<byte[]> pong = TestSockets.receive(dealer, RECEIVE);
            assertThat(pong).as("reply received by the DEALER").isNotNull();
            assertThat(text(pong.get(pong.size() - 1))).isEqualTo("pong-to-dealer");
        }
    }

    /**
     * The frontend of a configured pull-push proxy (its sockets come from the same factory, guard included); what it
     * forwards is read by a factory PULL on the backend, and the new client is a factory PUSH.
     */
    private static final class ProxyFrontendTarget implements Target {

        private final ZmqSocketFactory factory;

        private final String frontend;

        private final ManagedSocket pull;

        ProxyFrontendTarget(Running app) {
            this.factory = app.bean(ZmqSocketFactory.class);
            io.github.zmqboot.core.ZmqProxy proxy = app.bean("pipe", io.github.zmqboot.core.ZmqProxy.class);
            this.frontend = proxy.frontendEndpoints().get(0);
            this.pull = TestSockets.connected(this.factory, "backend-reader", SocketType.PULL,
                    proxy.backendEndpoints().get(0));
        }

        @Override
        public RawZmtpClient rawClient(Protocol protocol) throws IOException {
            int port = TestSockets.port(this.frontend);
            return protocol == Protocol.ZMTP2 ? RawZmtpClient.zmtp2(port, zmq.ZMQ.ZMQ_PUSH)
                    : RawZmtpClient.zmtp3(port, "PUSH");
        }

        @Override
        public Delivered receive() {
            List<byte[]> frames = TestSockets.receive(this.pull, RECEIVE);
            assertThat(frames).as("message forwarded by the proxy").isNotNull().hasSize(1);
            return new Delivered(text(frames.get(0)), null);
        }

        @Override
        public boolean canReply() {
            return false;
        }

        @Override
        public void reply(Delivered to, String payload) {
            throw new UnsupportedOperationException("a pull-push proxy does not reply");
        }

        @Override
        public long rejectedFrames() {
            // only the proxy's frontend is attacked: the factory's total is its count
            return this.factory.rejectedFrames();
        }

        @Override
        public void roundTripWithANewRealClient() {
            ManagedSocket push = TestSockets.connected(this.factory, "push", SocketType.PUSH, this.frontend);
            TestSockets.send(push, "through-the-proxy");
            assertThat(receive().payload()).isEqualTo("through-the-proxy");
        }
    }
}
