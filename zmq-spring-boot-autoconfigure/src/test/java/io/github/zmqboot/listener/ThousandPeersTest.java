package io.github.zmqboot.listener;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.github.zmqboot.annotation.RoutingId;
import io.github.zmqboot.annotation.ZmqListener;
import io.github.zmqboot.autoconfigure.ZmqAutoConfiguration;
import io.github.zmqboot.core.ZmqPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import zmq.Msg;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One PEER listener ({@code concurrency} 4) serves 1,000 peers at once over tcp: every peer gets exactly the answers
 * to its own 3 messages, in the order it sent them, none twice, addressed by the routing id the listener saw; the
 * listener handles each message once.
 * <p>
 * The peers are plain JeroMQ sockets, so a fresh connect can stall until their handshake interval (FACTS: JeroMQ's
 * connect race) and lose what was queued to it. Each peer therefore first sends probes until one is answered (its
 * connection works), and only then its 3 messages, each sent once.
 */
@Timeout(180)
class ThousandPeersTest {

    private static final int PEERS = 1_000;

    private static final int MESSAGES_PER_PEER = 3;

    /** A peer without an answer to its probe by then probes again (its first connect may have stalled). */
    private static final Duration PROBE_AGAIN_AFTER = Duration.ofSeconds(3);

    private static final Duration LIMIT = Duration.ofSeconds(120);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ZmqAutoConfiguration.class))
        .withBean(Acknowledger.class)
        .withPropertyValues("zmq.peers.alice.bind[0]=tcp://127.0.0.1:0", "zmq.context.max-sockets=64");

    @Test
    void everyPeerGetsExactlyTheAnswersToItsOwnMessagesInOrder() {
        this.runner.run(context -> {
            String endpoint = context.getBean("alice", ZmqPeer.class).boundEndpoints().get(0);
            try (ZContext clients = new ZContext(1)) {
                clients.getContext().setMaxSockets(PEERS + 16);
                List<ZMQ.Socket> peers = new ArrayList<>();
                List<Integer> aliceIds = new ArrayList<>();
                for (int i = 0; i < PEERS; i++) {
                    ZMQ.Socket peer = clients.createSocket(SocketType.PEER);
                    peer.setLinger(0);
                    peer.setHandshakeIvl(2000);
                    peer.setSndHWM(0);
                    aliceIds.add(peer.connectPeer(endpoint));
                    peers.add(peer);
                }
                List<List<String>> answers = new ArrayList<>();
                boolean[] connected = new boolean[PEERS];
                int[] probes = new int[PEERS];
                for (int i = 0; i < PEERS; i++) {
                    answers.add(new ArrayList<>());
                    send(peers.get(i), aliceIds.get(i), "peer " + i + " probe " + probes[i]++);
                }

                // JeroMQ's poller takes no thread-safe socket (PEER): each round takes what every peer has
                long[] probeAgainAt = { System.nanoTime() + PROBE_AGAIN_AFTER.toNanos() };
                await("every peer's probe answered").atMost(LIMIT).pollInterval(Duration.ofMillis(5)).until(() -> {
                    receiveAll(peers, aliceIds, answers, connected);
                    if (System.nanoTime() > probeAgainAt[0]) {
                        for (int i = 0; i < PEERS; i++) {
                            if (!connected[i]) {
                                send(peers.get(i), aliceIds.get(i), "peer " + i + " probe " + probes[i]++);
                            }
                        }
                        probeAgainAt[0] = System.nanoTime() + PROBE_AGAIN_AFTER.toNanos();
                    }
                    return allTrue(connected);
                });

                for (int i = 0; i < PEERS; i++) {
                    for (int n = 0; n < MESSAGES_PER_PEER; n++) {
                        send(peers.get(i), aliceIds.get(i), "peer " + i + " message " + n);
                    }
                }
                await("every peer's answers").atMost(LIMIT).pollInterval(Duration.ofMillis(5)).until(() -> {
                    receiveAll(peers, aliceIds, answers, connected);
                    return answers.stream().allMatch(received -> received.size() >= MESSAGES_PER_PEER);
                });

                for (int i = 0; i < PEERS; i++) {
                    List<String> expected = new ArrayList<>();
                    for (int n = 0; n < MESSAGES_PER_PEER; n++) {
                        expected.add("ack peer " + i + " message " + n);
                    }
                    assertThat(answers.get(i)).as("answers of peer %d", i).containsExactlyElementsOf(expected);
                }
                Acknowledger acknowledger = context.getBean(Acknowledger.class);
                assertThat(acknowledger.peers()).as("distinct routing ids the listener saw").hasSize(PEERS);
                assertThat(acknowledger.handledMessages()).as("messages the listener handled, each once")
                    .hasSize(PEERS * MESSAGES_PER_PEER)
                    .allSatisfy((text, times) -> assertThat(times).as(text).isEqualTo(1));
            }
        });
    }

    /** Takes every reply queued at every peer: answers to probes mark the peer connected, the rest are kept. */
    private static void receiveAll(List<ZMQ.Socket> peers, List<Integer> aliceIds, List<List<String>> answers,
            boolean[] connected) {
        for (int i = 0; i < PEERS; i++) {
            Msg reply;
            while ((reply = peers.get(i).base().recv(ZMQ.DONTWAIT)) != null) {
                assertThat(reply.getRoutingId()).isEqualTo(aliceIds.get(i));
                String text = new String(reply.data(), StandardCharsets.UTF_8);
                if (text.startsWith("ack peer " + i + " probe ")) {
                    connected[i] = true;
                }
                else {
                    answers.get(i).add(text);
                }
            }
        }
    }

    private static boolean allTrue(boolean[] values) {
        for (boolean value : values) {
            if (!value) {
                return false;
            }
        }
        return true;
    }

    private static void send(ZMQ.Socket peer, int aliceId, String text) {
        Msg msg = new Msg(text.getBytes(StandardCharsets.UTF_8));
        msg.setRoutingId(aliceId);
        assertThat(peer.base().send(msg, ZMQ.DONTWAIT)).as("queued to alice").isTrue();
    }

    /** Answers every message; remembers which routing id each peer's messages came from, and each message handled. */
    static class Acknowledger {

        private final Map<String, Integer> routingIdByPeer = new ConcurrentHashMap<>();

        private final Map<String, Integer> handled = new ConcurrentHashMap<>();

        @ZmqListener(peer = "alice", concurrency = "4")
        String acknowledge(String text, @RoutingId int routingId) {
            String peer = text.substring(0, text.indexOf(text.contains(" probe") ? " probe" : " message"));
            this.routingIdByPeer.merge(peer, routingId, (earlier, now) -> {
                if (!earlier.equals(now)) {
                    throw new IllegalStateException(text + " came from " + now + ", earlier from " + earlier);
                }
                return now;
            });
            if (text.contains(" message ")) {
                this.handled.merge(text, 1, Integer::sum);
            }
            return "ack " + text;
        }

        Set<Integer> peers() {
            return new HashSet<>(this.routingIdByPeer.values());
        }

        /** Each message (not probe) handled, with how many times. */
        Map<String, Integer> handledMessages() {
            return Map.copyOf(this.handled);
        }
    }
}
