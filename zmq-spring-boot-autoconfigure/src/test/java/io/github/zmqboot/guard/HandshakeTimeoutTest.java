package io.github.zmqboot.guard;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * {@code handshake-interval} covers the whole handshake, as libzmq's (greeting through the mechanism's last command):
 * raw tcp clients that send a valid greeting and then nothing are closed once it has passed, counted on the socket
 * (its health details) and logged once per remote address and minute. JeroMQ 0.6.0 stops its handshake timer after
 * the greeting and keeps such connections for ever, heartbeats or not
 * ({@link #onPlainJeromqAGreetingWithoutHandshakeKeepsItsConnection}).
 */
@Timeout(120)
@ExtendWith(QuietOutputCaptureExtension.class)
class HandshakeTimeoutTest {

    static final Duration HANDSHAKE = Duration.ofMillis(500);

    /** Connections that stop after their greeting, each test. */
    static final int CONNECTIONS = 200;

    /** A connection is closed within this after its greeting (the interval, plus a loaded machine's lateness). */
    static final Duration CLOSED_WITHIN = HANDSHAKE.plusMillis(1000);

    @RegisterExtension
    final GuardApplications applications = new GuardApplications();

    static Stream<Arguments> handshakesLeftUnfinished() {
        ZMQ.Curve.KeyPair server = TestCurveKeys.keyPair();
        return Stream.of(Arguments.of("ZMTP/3.1 NULL", List.<String>of()),
                Arguments.of("ZMTP/3.1 NULL, heartbeats on", List.of("zmq.peers.alice.heartbeat-interval=100ms",
                        "zmq.peers.alice.heartbeat-timeout=300ms")),
                Arguments.of("ZMTP/3.1 CURVE", List.of("zmq.peers.alice.curve.server=true",
                        "zmq.peers.alice.curve.secret-key=" + server.secretKey)),
                Arguments.of("ZMTP/2.0, no identity", List.<String>of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("handshakesLeftUnfinished")
    void connectionsThatStopAfterTheirGreetingAreClosedAfterTheHandshakeIntervalCountedAndLoggedOnce(String handshake,
            List<String> options, CapturedOutput output) throws Exception {
        List<String> properties = new ArrayList<>(List.of("zmq.peers.alice.bind[0]=tcp://127.0.0.1:0",
                "zmq.peers.alice.handshake-interval=" + HANDSHAKE.toMillis() + "ms"));
        properties.addAll(options);
        Running app = this.applications.start(properties.toArray(String[]::new));
        int port = port(app.bean("alice", ZmqPeer.class));

        // each connection waits for its close on a thread of its own, so that each time to close is its own
        ExecutorService waiting = Executors.newFixedThreadPool(CONNECTIONS);
        List<Future<Duration>> closes = new ArrayList<>();
        try {
            for (int i = 0; i < CONNECTIONS; i++) {
                RawZmtpClient client = greetOnly(handshake, port);
                long greeted = System.nanoTime();
                closes.add(waiting.submit(() -> {
                    try (client) {
                        return client.closedByPeerWithin(CLOSED_WITHIN) ? Duration.ofNanos(System.nanoTime() - greeted)
                                : null;
                    }
                }));
            }
            Duration slowest = Duration.ZERO;
            for (int i = 0; i < CONNECTIONS; i++) {
                Duration took = closes.get(i).get();
                assertThat(took).as("connection %d (%s) closed within %s of its greeting", i, handshake, CLOSED_WITHIN)
                    .isNotNull();
                slowest = took.compareTo(slowest) > 0 ? took : slowest;
            }
            Figures.report("HandshakeTimeoutTest", handshake + ": " + CONNECTIONS + " connections closed, the last "
                    + slowest.toMillis() + " ms after its greeting (handshake-interval " + HANDSHAKE.toMillis()
                    + " ms)");
        }
        finally {
            waiting.shutdownNow();
        }
        ZmqSocketFactory factory = app.bean(ZmqSocketFactory.class);
        await().atMost(Duration.ofSeconds(10))
            .until(() -> factory.connectionCounts("alice").handshakeTimeouts() == CONNECTIONS);
        assertThat(output.getOut().lines()
            .filter(line -> line.contains("WARN") && line.contains("the handshake did not complete"))).hasSize(1);
    }

    @Test
    void onPlainJeromqAGreetingWithoutHandshakeKeepsItsConnection() throws IOException {
        Ctx context = zmq.ZMQ.createContext();
        SocketBase peer = context.createSocket(zmq.ZMQ.ZMQ_PEER);
        try {
            peer.setSocketOpt(zmq.ZMQ.ZMQ_HANDSHAKE_IVL, (int) HANDSHAKE.toMillis());
            peer.setSocketOpt(zmq.ZMQ.ZMQ_LINGER, 0);
            assertThat(peer.bind("tcp://127.0.0.1:*")).isTrue();
            String endpoint = (String) peer.getSocketOptx(zmq.ZMQ.ZMQ_LAST_ENDPOINT);
            try (RawZmtpClient client = RawZmtpClient.greetingOnly(TestSockets.port(endpoint), "NULL")) {
                assertThat(client.closedByPeerWithin(CLOSED_WITHIN.multipliedBy(2)))
                    .as("JeroMQ closed the connection").isFalse();
            }
        }
        finally {
            peer.close();
            context.terminate();
        }
    }

    private static RawZmtpClient greetOnly(String handshake, int port) throws IOException {
        if (handshake.startsWith("ZMTP/2.0")) {
            return RawZmtpClient.zmtp2GreetingOnly(port, zmq.ZMQ.ZMQ_DEALER);
        }
        return RawZmtpClient.greetingOnly(port, handshake.contains("CURVE") ? "CURVE" : "NULL");
    }

    private static int port(ZmqPeer peer) {
        return TestSockets.port(peer.boundEndpoints().get(0));
    }
}
