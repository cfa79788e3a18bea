package io.github.zmqboot.guard;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import io.github.zmqboot.core.ZmqPeer;
import io.github.zmqboot.core.ZmqProxy;
import io.github.zmqboot.core.ZmqSocket;
import io.github.zmqboot.guard.GuardTestApplication.Running;
import io.github.zmqboot.core.SocketEvent;
import io.github.zmqboot.internal.proxy.DefaultZmqProxy;
import io.github.zmqboot.internal.engine.ZmqSocketFactory;
import io.github.zmqboot.testing.QuietOutputCaptureExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The built-in {@code max-message-size} (1 MiB; libzmq's default is no limit) holds on every socket the starter makes,
 * the four sides of a proxy included: a raw tcp client that completes its handshake and announces a frame of 1 MiB + 1
 * byte has its connection dropped at the frame header, reported as an oversize drop by each socket. A frame of exactly
 * 1 MiB still arrives. {@code max-message-size: -1} restores libzmq's "no limit" (here on the peer).
 */
@ExtendWith(QuietOutputCaptureExtension.class)
@Timeout(120)
class MaxMessageSizeDefaultTest {

    private static final int MIB = 1024 * 1024;

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    final GuardApplications applications = new GuardApplications();

    @Test
    void everySocketAndEveryProxySideDropsAFrameAboveOneMebibyteByDefault() throws IOException {
        Running app = this.applications.start("zmq.peers.alice.bind[0]=tcp://127.0.0.1:0",
                "zmq.sockets.pull.type=PULL", "zmq.sockets.pull.bind[0]=tcp://127.0.0.1:0",
                "zmq.proxies.broker.type=router-dealer", "zmq.proxies.broker.frontend.bind[0]=tcp://127.0.0.1:0",
                "zmq.proxies.broker.backend.bind[0]=tcp://127.0.0.1:0",
                "zmq.proxies.broker.capture.type=PUB", "zmq.proxies.broker.capture.bind[0]=tcp://127.0.0.1:0",
                "zmq.proxies.broker.control.type=REP", "zmq.proxies.broker.control.bind[0]=tcp://127.0.0.1:0");
        List<SocketEvent> drops = new CopyOnWriteArrayList<>();
        app.bean(ZmqSocketFactory.class).socketMonitor().addListener(event -> {
            if (event.oversizedMessage()) {
                drops.add(event);
            }
        });
        ZmqPeer alice = app.bean("alice", ZmqPeer.class);
        ZmqProxy broker = app.bean("broker", ZmqProxy.class);
        // socket name -> [bound endpoint, a socket type its handshake accepts]
        Map<String, List<String>> targets = new LinkedHashMap<>();
        targets.put("alice", List.of(alice.boundEndpoints().get(0), "PEER"));
        targets.put("pull", List.of(app.bean("pull", ZmqSocket.class).boundEndpoints().get(0), "PUSH"));
        targets.put("broker.frontend", List.of(broker.frontendEndpoints().get(0), "DEALER"));
        targets.put("broker.backend", List.of(broker.backendEndpoints().get(0), "DEALER"));
        targets.put("broker.capture", List.of(((DefaultZmqProxy) broker).captureEndpoints()
            .get(0), "SUB"));
        targets.put("broker.control", List.of(broker.controlEndpoints().get(0), "REQ"));

        for (Map.Entry<String, List<String>> target : targets.entrySet()) {
            int port = TestSockets.port(target.getValue().get(0));
            try (RawZmtpClient client = RawZmtpClient.zmtp3(port, target.getValue().get(1))) {
                client.sendRaw(frameHeader(MIB + 1L));
                assertThat(client.closedByPeerWithin(WAIT)).as(target.getKey() + " dropped the connection").isTrue();
            }
        }
        await("an oversize drop reported by every socket").atMost(WAIT)
            .until(() -> names(drops).containsAll(targets.keySet()));
        assertThat(names(drops)).containsExactlyInAnyOrderElementsOf(targets.keySet());

        try (RawZmtpClient client = RawZmtpClient.zmtp3(TestSockets.port(targets.get("alice").get(0)), "PEER")) {
            client.sendRaw(RawZmtpClient.frame(0, new byte[MIB]));
            ZmqPeer.Received received = alice.receive(WAIT);
            assertThat(received).as("a frame of exactly 1 MiB").isNotNull();
            assertThat(received.payload()).hasSize(MIB);
        }
    }

    @Test
    void minusOneRestoresLibzmqsNoLimit() throws IOException {
        Running app = this.applications.start("zmq.peers.alice.bind[0]=tcp://127.0.0.1:0",
                "zmq.peers.alice.max-message-size=-1");
        ZmqPeer alice = app.bean("alice", ZmqPeer.class);

        try (RawZmtpClient client = RawZmtpClient.zmtp3(TestSockets.port(alice.boundEndpoints().get(0)), "PEER")) {
            client.sendRaw(RawZmtpClient.frame(0, new byte[2 * MIB]));
            ZmqPeer.Received received = alice.receive(WAIT);
            assertThat(received).as("a frame of 2 MiB").isNotNull();
            assertThat(received.payload()).hasSize(2 * MIB);
        }
    }

    private static Set<String> names(List<SocketEvent> events) {
        return events.stream().map(SocketEvent::socket).collect(Collectors.toSet());
    }

    /** A ZMTP frame header (LARGE flag, 8-byte size) announcing {@code size} bytes that never follow. */
    private static byte[] frameHeader(long size) {
        return ByteBuffer.allocate(9).put((byte) RawZmtpClient.LARGE).putLong(size).array();
    }
}
