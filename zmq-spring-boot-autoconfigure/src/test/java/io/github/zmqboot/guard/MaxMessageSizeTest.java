package io.github.zmqboot.guard;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.zmqboot.core.ZmqError;
import io.github.zmqboot.core.ZmqPeer;
import io.github.zmqboot.guard.GuardTestApplication.Running;
import io.github.zmqboot.core.SocketEvent;
import io.github.zmqboot.internal.peer.DefaultZmqPeer;
import io.github.zmqboot.internal.engine.ManagedSocket;
import io.github.zmqboot.internal.engine.ZmqSocketFactory;
import io.github.zmqboot.testing.QuietOutputCaptureExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;

import static io.github.zmqboot.guard.TestSockets.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code max-message-size} with libzmq's meaning: an inbound message larger than the limit drops the connection it
 * came on, and only that one; the starter counts each such drop on the socket and logs it once per peer address at
 * WARN. The frame-size trick that slips past JeroMQ's own check (a size negative as a 64-bit value whose low 32 bits
 * are above the limit) is dropped by the frame guard.
 */
@Timeout(120)
@ExtendWith(QuietOutputCaptureExtension.class)
class MaxMessageSizeTest {

    private static final int LIMIT = 1024;

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    final GuardApplications applications = new GuardApplications();

    private Running app;


    @Test
    void anOversizedMessageDropsOnlyItsConnectionAndEachDropIsCountedAndLoggedOncePerPeerAddress(CapturedOutput output)
            throws IOException {
        this.app = this.applications.start("zmq.peers.limited.bind[0]=tcp://127.0.0.1:0",
                "zmq.peers.limited.max-message-size=" + LIMIT, "zmq.peers.carol.linger=0");
        ZmqPeer limited = this.app.bean("limited", ZmqPeer.class);
        ZmqPeer carol = this.app.bean("carol", ZmqPeer.class);
        ManagedSocket limitedSocket = ((DefaultZmqPeer) limited).managedSocket();
        List<SocketEvent> limitedDisconnects = new CopyOnWriteArrayList<>();
        List<SocketEvent> limitedAccepts = new CopyOnWriteArrayList<>();
        this.app.bean(ZmqSocketFactory.class).socketMonitor().addListener(event -> {
            if (event.socket().equals("limited") && event.kind() == SocketEvent.Kind.DISCONNECTED) {
                limitedDisconnects.add(event);
            }
            if (event.socket().equals("limited") && event.kind() == SocketEvent.Kind.ACCEPTED) {
                limitedAccepts.add(event);
            }
        });
        String endpoint = limited.boundEndpoints().get(0);
        int port = TestSockets.port(endpoint);
        int limitedId = carol.connect(endpoint);
        exchange(carol, limitedId, limited, "carol-0");
        await("limited accepted carol's connection").atMost(WAIT).until(() -> !limitedAccepts.isEmpty());
        assertThat(limitedAccepts).hasSize(1);
        int carolPort = limitedAccepts.get(0).peer().getPort();

        Set<Integer> oversizedClientPorts = new HashSet<>();
        for (int client = 1; client <= 2; client++) {
            try (RawZmtpClient big = RawZmtpClient.zmtp3(port, "PEER")) {
                oversizedClientPorts.add(big.localPort());
                big.sendRaw(RawZmtpClient.frame(0, new byte[LIMIT]));
                assertThat(receive(limited).payload()).as("a message of exactly max-message-size").hasSize(LIMIT);

                big.sendRaw(RawZmtpClient.frame(0, new byte[4 * LIMIT]));
                assertThat(big.closedByPeerWithin(WAIT)).as("connection with the oversized message dropped").isTrue();
            }
            int drops = client;
            await("oversize drop " + drops + " reported").atMost(WAIT)
                .until(() -> limitedDisconnects.stream().filter(SocketEvent::oversizedMessage).count() == drops);
            assertThat(limitedSocket.droppedOversizedConnections()).isEqualTo(drops);
            exchange(carol, limitedId, limited, "carol-" + client);
        }

        SocketEvent drop = limitedDisconnects.stream().filter(SocketEvent::oversizedMessage).findFirst().orElseThrow();
        assertThat(drop.error()).isEqualTo(ZmqError.EMSGSIZE);
        assertThat(drop.endpoint()).isEqualTo(endpoint);
        InetSocketAddress peer = drop.peer();
        assertThat(peer).isNotNull();
        assertThat(peer.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(oversizedClientPorts).contains(peer.getPort());
        assertThat(output.getOut().lines().filter(line -> line.contains("WARN")
                && line.contains("Socket 'limited' dropped a connection from 127.0.0.1")))
            .as("one WARN line for two drops from the same address").hasSize(1);

        try (RawZmtpClient sneaky = RawZmtpClient.zmtp3(port, "PEER")) {
            // 0x80000000_00001000: passes JeroMQ's signed check, would be read as a 4096-byte frame
            sneaky.sendRaw(ByteBuffer.allocate(9).put((byte) RawZmtpClient.LARGE).putLong(0x8000000000001000L).array());
            sneaky.send("after-the-sneaky-header");
            assertThat(text(receive(limited).payload())).as("the frame after the sneaky header")
                .isEqualTo("after-the-sneaky-header");
            assertThat(limitedSocket.rejectedFrames()).isEqualTo(1);
        }
        exchange(carol, limitedId, limited, "carol-last");

        assertThat(limitedSocket.droppedOversizedConnections()).isEqualTo(2);
        assertThat(limitedDisconnects).as("limited never dropped carol's connection")
            .allSatisfy(event -> assertThat(event.peer()).isNotNull())
            .noneMatch(event -> event.peer().getPort() == carolPort);
        this.app.closeWithinLingerPlusOneSecond();
    }

    /** Carol sends, limited answers to the routing id she sees: both directions of carol's connection work. */
    private static void exchange(ZmqPeer carol, int limitedId, ZmqPeer limited, String text) {
        carol.send(limitedId, text);
        ZmqPeer.Received request = receive(limited);
        assertThat(text(request.payload())).isEqualTo(text);
        limited.send(request.routingId(), "re: " + text);
        ZmqPeer.Received reply = carol.receive(WAIT);
        assertThat(reply).as("limited's reply to carol").isNotNull();
        assertThat(text(reply.payload())).isEqualTo("re: " + text);
    }

    private static ZmqPeer.Received receive(ZmqPeer peer) {
        ZmqPeer.Received received = peer.receive(WAIT);
        assertThat(received).as("message received by " + peer.name()).isNotNull();
        return received;
    }
}
