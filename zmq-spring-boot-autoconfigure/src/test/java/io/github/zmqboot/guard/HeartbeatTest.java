package io.github.zmqboot.guard;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.zmqboot.core.ZmqPeer;
import io.github.zmqboot.guard.GuardTestApplication.Running;
import io.github.zmqboot.core.SocketEvent;
import io.github.zmqboot.internal.engine.ZmqSocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * ZMTP heartbeats from {@code heartbeat-interval} and {@code heartbeat-timeout}: a peer that completed its handshake
 * and then falls silent (answers no PING, sends nothing; its TCP connection stays open) is dropped by the socket one
 * interval plus one timeout after its handshake (100 + 300 ms here): not before the timeout, and within 1 s of the
 * handshake; the drop is a {@code DISCONNECTED} event. Without heartbeats the same silent peer keeps its connection.
 */
@Timeout(120)
class HeartbeatTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    /** How long "the connection stays open" is watched: several heartbeat timeouts of the other case. */
    private static final Duration QUIET = Duration.ofMillis(1500);

    private static final Duration HEARTBEAT_TIMEOUT = Duration.ofMillis(300);

    /** The latest drop after the handshake: interval (100 ms) + timeout (300 ms) + slack for a loaded machine. */
    private static final Duration DROPPED_WITHIN = Duration.ofSeconds(1);

    @RegisterExtension
    final GuardApplications applications = new GuardApplications();

    private Running app;


    @Test
    void aPeerThatFallsSilentIsDroppedAfterTheHeartbeatTimeout() throws IOException {
        this.app = this.applications.start("zmq.peers.alice.bind[0]=tcp://127.0.0.1:0",
                "zmq.peers.alice.heartbeat-interval=100ms",
                "zmq.peers.alice.heartbeat-timeout=" + HEARTBEAT_TIMEOUT.toMillis() + "ms");
        List<SocketEvent> events = new CopyOnWriteArrayList<>();
        this.app.bean(ZmqSocketFactory.class).socketMonitor().addListener(events::add);

        long beforeConnect = System.nanoTime();
        try (RawZmtpClient silent = RawZmtpClient.zmtp3(port(), "PEER")) {
            long handshakeDone = System.nanoTime();
            assertThat(silent.closedByPeerWithin(WAIT)).as("the engine dropped the silent peer").isTrue();
            long dropped = System.nanoTime();
            assertThat(Duration.ofNanos(dropped - beforeConnect)).as("from the connect to the drop")
                .isGreaterThanOrEqualTo(HEARTBEAT_TIMEOUT);
            assertThat(Duration.ofNanos(dropped - handshakeDone)).as("from the handshake to the drop")
                .isLessThan(DROPPED_WITHIN);
        }
        await().atMost(WAIT).until(() -> events.stream()
            .anyMatch(event -> event.socket().equals("alice") && event.kind() == SocketEvent.Kind.DISCONNECTED));
    }

    @Test
    void withoutHeartbeatsASilentPeerKeepsItsConnection() throws IOException {
        this.app = this.applications.start("zmq.peers.alice.bind[0]=tcp://127.0.0.1:0");

        try (RawZmtpClient silent = RawZmtpClient.zmtp3(port(), "PEER")) {
            assertThat(silent.closedByPeerWithin(QUIET)).as("the connection stayed open").isFalse();
        }
    }

    private int port() {
        String endpoint = this.app.bean("alice", ZmqPeer.class).boundEndpoints().get(0);
        return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    }
}
