package io.github.zmqboot.guard;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.zmqboot.actuate.ZmqInventory;
import io.github.zmqboot.actuate.ZmqSocketEvents;
import io.github.zmqboot.internal.context.ZmqContextManager;
import io.github.zmqboot.core.ZmqPeer;
import io.github.zmqboot.core.ZmqProxy;
import io.github.zmqboot.guard.GuardTestApplication.Running;
import io.github.zmqboot.internal.proxy.DefaultZmqProxy;
import io.github.zmqboot.internal.engine.ZmqSocketFactory;
import io.github.zmqboot.testing.QuietOutputCaptureExtension;
import io.github.zmqboot.internal.transport.ConnectionCounts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.system.CapturedOutput;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code max-connections}: the inbound connections of a socket over all its bound endpoints together. A connection
 * beyond it is accepted and closed at once (before the engine sends anything), counted, shown in the health details
 * and logged once per remote address and minute; the connections admitted keep working, and when one ends, a new one
 * is admitted. (JeroMQ has no such option: there the extra connections complete their handshake.)
 */
@Timeout(120)
@ExtendWith(QuietOutputCaptureExtension.class)
class MaxConnectionsTest {

    static final int MAX = 3;

    static final Duration CLOSED_WITHIN = Duration.ofSeconds(1);

    @RegisterExtension
    final GuardApplications applications = new GuardApplications();

    @Test
    void connectionsBeyondTheLimitOverAllBoundEndpointsAreClosedAtOnceCountedAndShown(CapturedOutput output)
            throws IOException {
        Running app = this.applications.start("zmq.peers.alice.bind[0]=tcp://127.0.0.1:0",
                "zmq.peers.alice.bind[1]=tcp://127.0.0.1:0", "zmq.peers.alice.max-connections=" + MAX);
        ZmqPeer alice = app.bean("alice", ZmqPeer.class);
        ZmqSocketFactory factory = app.bean(ZmqSocketFactory.class);
        int first = TestSockets.port(alice.boundEndpoints().get(0));
        int second = TestSockets.port(alice.boundEndpoints().get(1));

        List<RawZmtpClient> admitted = new ArrayList<>();
        try {
            admitted.add(RawZmtpClient.zmtp3(first, "PEER"));
            admitted.add(RawZmtpClient.zmtp3(second, "PEER"));
            admitted.add(RawZmtpClient.zmtp3(first, "PEER"));
            await().atMost(Duration.ofSeconds(5)).until(() -> factory.connectionCounts("alice").open() == MAX);

            for (int port : new int[] { second, first }) {
                try (RawZmtpClient refused = RawZmtpClient.connectOnly(port)) {
                    assertThat(refused.closedByPeerWithin(CLOSED_WITHIN))
                        .as("a connection beyond the limit, on port %d", port)
                        .isTrue();
                }
            }
            ConnectionCounts counts = factory.connectionCounts("alice");
            assertThat(counts.overMaxConnections()).isEqualTo(2);
            assertThat(counts.open()).isEqualTo(MAX);

            // the admitted connections work
            for (int i = 0; i < MAX; i++) {
                admitted.get(i).send("from " + i);
            }
            for (int i = 0; i < MAX; i++) {
                assertThat(alice.receive(Duration.ofSeconds(10))).as("message %d", i).isNotNull();
            }

            Map<String, Object> details = peerDetails(app, "alice");
            assertThat(details).containsEntry("inboundConnections", MAX)
                .containsEntry("maxConnections", MAX)
                .containsEntry("refusedConnections", Map.of("overMaxConnections", 2L));

            // one ends: a new one is admitted (its handshake completes)
            admitted.remove(0).close();
            await().atMost(Duration.ofSeconds(5)).until(() -> factory.connectionCounts("alice").open() == MAX - 1);
            admitted.add(RawZmtpClient.zmtp3(second, "PEER"));
        }
        finally {
            for (RawZmtpClient client : admitted) {
                client.close();
            }
        }
        assertThat(output.getOut().lines()
            .filter(line -> line.contains("WARN") && line.contains("max-connections (" + MAX + ")"))).hasSize(1);
    }

    @Test
    void aProxySideTakesTheOptionAndShowsItsRefusals() throws IOException {
        Running app = this.applications.start("zmq.proxies.broker.type=pull-push",
                "zmq.proxies.broker.frontend.bind[0]=tcp://127.0.0.1:0",
                "zmq.proxies.broker.frontend.max-connections=1",
                "zmq.proxies.broker.backend.bind[0]=tcp://127.0.0.1:0");
        DefaultZmqProxy broker = app.bean("broker", DefaultZmqProxy.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> broker.state() == ZmqProxy.State.RUNNING);
        int port = TestSockets.port(broker.frontendEndpoints().get(0));
        try (RawZmtpClient admitted = RawZmtpClient.zmtp3(port, "PUSH");
                RawZmtpClient refused = RawZmtpClient.connectOnly(port)) {
            assertThat(refused.closedByPeerWithin(CLOSED_WITHIN)).as("the second connection").isTrue();
            Map<String, Object> shown = ZmqInventory.describe(broker);
            assertThat(shown).extractingByKey("connections")
                .isEqualTo(Map.of("frontend", Map.of("inboundConnections", 1, "maxConnections", 1,
                        "refusedConnections", Map.of("overMaxConnections", 1L))));
        }
    }

    /** What the health details and the {@code zmq} endpoint show of a peer. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> peerDetails(Running app, String name) {
        ZmqInventory inventory = new ZmqInventory(app.context().getBeanFactory(), new ZmqSocketEvents(),
                app.bean(ZmqContextManager.class));
        return ((Map<String, Map<String, Object>>) inventory.describe().get("peers")).get(name);
    }
}
