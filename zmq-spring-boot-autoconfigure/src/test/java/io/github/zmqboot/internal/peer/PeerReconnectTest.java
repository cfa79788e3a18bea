package io.github.zmqboot.internal.peer;

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
    void theRoutingIdOfAConnectionStillAddressesTheRemoteEndAfterItCameBack() {
        this.runner.withPropertyValues("zmq.peers.bob.reconnect-interval=100ms").run(client -> {
            ZmqPeer bob = client.getBean("bob", ZmqPeer.class);
            String[] endpoint = new String[1]; // the port the system gave the first application, bound again later
            int[] aliceId = new int[1];

            this.runner.withPropertyValues("zmq.peers.alice.bind[0]=tcp://127.0.0.1:0").run(first -> {
                ZmqPeer alice = first.getBean("alice", ZmqPeer.class);
                endpoint[0] = alice.boundEndpoints().get(0);
                aliceId[0] = bob.connect(endpoint[0]);
                assertThat(text(probe(bob, aliceId[0], alice).payload())).startsWith("probe");
            }); // the first application closes: its socket, its connections and the port go

            this.runner.withPropertyValues("zmq.peers.alice.bind[0]=" + endpoint[0]).run(second -> {
                ZmqPeer alice = second.getBean("alice", ZmqPeer.class);
                ZmqPeer.Received request = probe(bob, aliceId[0], alice);
                assertThat(text(request.payload())).startsWith("probe");

                alice.send(request.routingId(), "welcome back");
                ZmqPeer.Received reply = bob.receive(TIMEOUT);
                assertThat(reply).isNotNull();
                assertThat(reply.routingId()).isEqualTo(aliceId[0]);
                assertThat(text(reply.payload())).isEqualTo("welcome back");
            });
            assertThat(bob.connections()).containsEntry(aliceId[0], endpoint[0]);
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

    private static String text(byte[] payload) {
        return new String(payload, StandardCharsets.UTF_8);
    }
}
