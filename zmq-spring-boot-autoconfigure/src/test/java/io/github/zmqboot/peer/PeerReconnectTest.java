package io.github.zmqboot.peer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.zmqboot.autoconfigure.ZmqAutoConfiguration;
import io.github.zmqboot.core.ZmqPeer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A connected peer outlives its remote end: when the application that bound the endpoint goes away and another
 * binds it again, the connecting peer reconnects on its own (every {@code reconnect-interval}) and the routing id
 * that {@code connect} returned still addresses the remote end, as in libzmq (the connecting side's pipe survives
 * reconnects).
 */
class PeerReconnectTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static final Duration PROBE_INTERVAL = Duration.ofMillis(100);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ZmqAutoConfiguration.class))
        .withPropertyValues("zmq.defaults.linger=0");

    @Test
    void theRoutingIdOfAConnectionStillAddressesTheRemoteEndAfterItCameBack() throws IOException {
        String endpoint = "tcp://127.0.0.1:" + freePort();
        this.runner.withPropertyValues("zmq.peers.bob.reconnect-interval=100ms").run(client -> {
            ZmqPeer bob = client.getBean("bob", ZmqPeer.class);
            int aliceId = bob.connect(endpoint);

            this.runner.withPropertyValues("zmq.peers.alice.bind[0]=" + endpoint).run(first -> {
                ZmqPeer alice = first.getBean("alice", ZmqPeer.class);
                assertThat(text(probe(bob, aliceId, alice).payload())).startsWith("probe");
            }); // the first application closes: its socket, its connections and the port go

            this.runner.withPropertyValues("zmq.peers.alice.bind[0]=" + endpoint).run(second -> {
                ZmqPeer alice = second.getBean("alice", ZmqPeer.class);
                ZmqPeer.Received request = probe(bob, aliceId, alice);
                assertThat(text(request.payload())).startsWith("probe");

                alice.send(request.routingId(), "welcome back");
                ZmqPeer.Received reply = bob.receive(TIMEOUT);
                assertThat(reply).isNotNull();
                assertThat(reply.routingId()).isEqualTo(aliceId);
                assertThat(text(reply.payload())).isEqualTo("welcome back");
            });
            assertThat(bob.connections()).containsEntry(aliceId, endpoint);
        });
    }

    /**
     * Sends probes to {@code routingId} until {@code receiver} got one (while the remote end is away, the engine
     * queues them up to the HWM); returns it.
     */
    private static ZmqPeer.Received probe(ZmqPeer sender, int routingId, ZmqPeer receiver) {
        AtomicInteger probes = new AtomicInteger();
        return await().atMost(TIMEOUT).pollInterval(PROBE_INTERVAL).until(() -> {
            sender.send(routingId, "probe " + probes.incrementAndGet());
            return receiver.receive(PROBE_INTERVAL);
        }, received -> received != null);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    private static String text(byte[] payload) {
        return new String(payload, StandardCharsets.UTF_8);
    }
}
