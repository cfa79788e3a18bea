package io.github.zmqboot.guard;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.github.zmqboot.core.ZmqPeer;
import io.github.zmqboot.guard.GuardTestApplication.Running;
import io.github.zmqboot.internal.security.TestCurveKeys;
import io.github.zmqboot.internal.engine.ZmqSocketFactory;
import io.github.zmqboot.testing.Figures;
import io.github.zmqboot.testing.QuietOutputCaptureExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.zeromq.ZMQ;
import zmq.Ctx;
import zmq.SocketBase;

import org.springframework.boot.test.system.CapturedOutput;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Until a connection's handshake is complete, no frame larger than a handshake command needs (8 KiB) is accepted,
 * whatever {@code max-message-size} says: raw tcp clients that send a valid greeting and then, instead of the
 * mechanism's command (READY, HELLO) or the ZMTP/2.0 identity, a frame header announcing 100 MiB, are dropped at once
 * and nothing of the size is allocated; each drop is counted on the socket and logged once per remote address and
 * minute. After the handshake the socket's own limit applies again. JeroMQ 0.6.0 allocates whatever size is
 * announced, before any authentication, above 1 MiB in direct memory
 * ({@link #onPlainJeromqAnAnnouncedFrameIsAllocatedBeforeTheHandshake}).
 */
@Timeout(120)
@ExtendWith(QuietOutputCaptureExtension.class)
class HandshakeFrameSizeTest {

    static final long ANNOUNCED = 100L << 20;

    static final int ATTACKERS = 6;

    /** The connection is dropped this soon (the handshake interval is 30 s: it is not the timer that closes it). */
    static final Duration DROPPED_WITHIN = Duration.ofSeconds(1);

    /** Direct memory the whole attack may add (the engine allocating the announced sizes would add 600 MiB). */
    static final long DIRECT_GROWTH_LIMIT = 16L << 20;

    @RegisterExtension
    final GuardApplications applications = new GuardApplications();

    static Stream<Arguments> handshakes() {
        ZMQ.Curve.KeyPair server = TestCurveKeys.keyPair();
        return Stream.of(Arguments.of("ZMTP/3.1 NULL, a command instead of READY", List.<String>of()),
                Arguments.of("ZMTP/3.1 CURVE, a command instead of HELLO", List.of("zmq.peers.alice.curve.server=true",
                        "zmq.peers.alice.curve.secret-key=" + server.secretKey)),
                Arguments.of("ZMTP/2.0, a message instead of the identity", List.<String>of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("handshakes")
    void aLargeFrameAnnouncedBeforeTheHandshakeCompletesDropsTheConnectionBeforeAnythingIsAllocated(String handshake,
            List<String> options, CapturedOutput output) throws IOException {
        List<String> properties = new ArrayList<>(List.of("zmq.peers.alice.bind[0]=tcp://127.0.0.1:0",
                "zmq.peers.alice.max-message-size=-1", "zmq.peers.alice.handshake-interval=30s"));
        properties.addAll(options);
        Running app = this.applications.start(properties.toArray(String[]::new));
        int port = TestSockets.port(app.bean("alice", ZmqPeer.class).boundEndpoints().get(0));
        long directBefore = MemoryUse.afterGc().direct(); // garbage of earlier tests freed first

        List<RawZmtpClient> attackers = new ArrayList<>();
        Duration slowest = Duration.ZERO;
        try {
            for (int i = 0; i < ATTACKERS; i++) {
                RawZmtpClient attacker = handshake.startsWith("ZMTP/2.0")
                        ? RawZmtpClient.zmtp2GreetingOnly(port, zmq.ZMQ.ZMQ_DEALER)
                        : RawZmtpClient.greetingOnly(port, handshake.contains("CURVE") ? "CURVE" : "NULL");
                attackers.add(attacker);
                long sent = System.nanoTime();
                attacker.sendRaw(RawZmtpClient.largeFrameHeader(
                        handshake.startsWith("ZMTP/2.0") ? 0 : RawZmtpClient.COMMAND, ANNOUNCED));
                assertThat(attacker.closedByPeerWithin(DROPPED_WITHIN)).as("attacker %d dropped", i).isTrue();
                Duration took = Duration.ofNanos(System.nanoTime() - sent);
                slowest = took.compareTo(slowest) > 0 ? took : slowest;
            }
        }
        finally {
            for (RawZmtpClient attacker : attackers) {
                attacker.close();
            }
        }
        long directGrowth = directMemoryUsed() - directBefore;
        Figures.report("HandshakeFrameSizeTest", handshake + ": " + ATTACKERS + " connections announcing "
                + (ANNOUNCED >> 20) + " MiB dropped, the slowest " + slowest.toMillis() + " ms after its header;"
                + " direct memory grew by " + (directGrowth >> 10) + " KiB");
        assertThat(directGrowth).as("direct memory growth (bytes)").isLessThan(DIRECT_GROWTH_LIMIT);
        ZmqSocketFactory factory = app.bean(ZmqSocketFactory.class);
        await().atMost(Duration.ofSeconds(10))
            .until(() -> factory.connectionCounts("alice").oversizedHandshakeFrames() == ATTACKERS);
        assertThat(output.getOut().lines()
            .filter(line -> line.contains("WARN") && line.contains("before the handshake completed"))).hasSize(1);
    }

    @Test
    void afterTheHandshakeTheSocketsOwnLimitApplies() throws IOException {
        Running app = this.applications.start("zmq.peers.alice.bind[0]=tcp://127.0.0.1:0",
                "zmq.peers.alice.max-message-size=-1");
        ZmqPeer alice = app.bean("alice", ZmqPeer.class);
        byte[] large = new byte[2 << 20];
        try (RawZmtpClient client = RawZmtpClient.zmtp3(TestSockets.port(alice.boundEndpoints().get(0)), "PEER")) {
            client.sendRaw(RawZmtpClient.frame(0, large));
            ZmqPeer.Received received = alice.receive(Duration.ofSeconds(10));
            assertThat(received).isNotNull();
            assertThat(received.payload()).hasSize(large.length);
        }
    }

    @Test
    void onPlainJeromqAnAnnouncedFrameIsAllocatedBeforeTheHandshake() throws IOException {
        long announced = 64L << 20;
        Ctx context = zmq.ZMQ.createContext();
        SocketBase peer = context.createSocket(zmq.ZMQ.ZMQ_PEER);
        try {
            peer.setSocketOpt(zmq.ZMQ.ZMQ_LINGER, 0);
            assertThat(peer.bind("tcp://127.0.0.1:*")).isTrue();
            int port = TestSockets.port((String) peer.getSocketOptx(zmq.ZMQ.ZMQ_LAST_ENDPOINT));
            long directBefore = MemoryUse.afterGc().direct(); // garbage of earlier tests freed first
            try (RawZmtpClient attacker = RawZmtpClient.greetingOnly(port, "NULL")) {
                attacker.sendRaw(RawZmtpClient.largeFrameHeader(RawZmtpClient.COMMAND, announced));
                await("JeroMQ allocates the announced size").atMost(Duration.ofSeconds(10))
                    .until(() -> directMemoryUsed() - directBefore >= announced);
                assertThat(attacker.closedByPeerWithin(DROPPED_WITHIN)).as("JeroMQ dropped the connection").isFalse();
            }
        }
        finally {
            peer.close();
            context.terminate();
        }
    }

    private static long directMemoryUsed() {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)
            .stream()
            .filter(pool -> "direct".equals(pool.getName()))
            .mapToLong(BufferPoolMXBean::getMemoryUsed)
            .sum();
    }
}
