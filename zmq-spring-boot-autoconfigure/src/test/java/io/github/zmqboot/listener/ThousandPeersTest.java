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
 * One PEER listener ({@code concurrency} 4) serves 1,000 peers at once over tcp: every peer gets the answers to its
 * own messages, in the order it sent them, addressed by the routing id the listener saw.
 */
@Timeout(180)
class ThousandPeersTest {

    private static final int PEERS = 1_000;

    private static final int MESSAGES_PER_PEER = 3;

    /** A peer without all its answers by then sends its messages again (a fresh tcp connect can stall). */
    private static final Duration RESEND_AFTER = Duration.ofSeconds(10);

    private static final Duration LIMIT = Duration.ofSeconds(120);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ZmqAutoConfiguration.class))
        .withBean(Acknowledger.class)
        .withPropertyValues("zmq.peers.alice.bind[0]=tcp://127.0.0.1:0", "zmq.context.max-sockets=64");

    @Test
    void everyPeerGetsTheAnswersToItsOwnMessagesInOrder() {
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
                for (int i = 0; i < PEERS; i++) {
                    answers.add(new ArrayList<>());
                    sendAll(peers.get(i), aliceIds.get(i), i);
                }

                // JeroMQ's poller takes no thread-safe socket (PEER): each round takes what every peer has
                int[] complete = new int[1];
                long[] resendAt = { System.nanoTime() + RESEND_AFTER.toNanos() };
                await().atMost(LIMIT).pollInterval(Duration.ofMillis(5)).until(() -> {
                    for (int i = 0; i < PEERS; i++) {
                        Msg reply;
                        while ((reply = peers.get(i).base().recv(ZMQ.DONTWAIT)) != null) {
                            assertThat(reply.getRoutingId()).isEqualTo(aliceIds.get(i));
                            answers.get(i).add(new String(reply.data(), StandardCharsets.UTF_8));
                            if (answers.get(i).size() == MESSAGES_PER_PEER) {
                                complete[0]++;
                            }
                        }
                    }
                    if (complete[0] < PEERS && System.nanoTime() > resendAt[0]) {
                        for (int i = 0; i < PEERS; i++) {
                            if (answers.get(i).isEmpty()) { // a stalled connect lost all of them: the lazy pirate way
                                sendAll(peers.get(i), aliceIds.get(i), i);
                            }
                        }
                        resendAt[0] = System.nanoTime() + RESEND_AFTER.toNanos();
                    }
                    return complete[0] == PEERS;
                });

                for (int i = 0; i < PEERS; i++) {
                    List<String> expected = new ArrayList<>();
                    for (int n = 0; n < MESSAGES_PER_PEER; n++) {
                        expected.add("ack peer " + i + " message " + n);
                    }
                    assertThat(answers.get(i)).as("answers of peer %d", i).startsWith(expected.toArray(String[]::new));
                }
                Acknowledger acknowledger = context.getBean(Acknowledger.class);
                assertThat(acknowledger.peers()).as("distinct routing ids the listener saw").hasSize(PEERS);
            }
        });
    }

    private static void sendAll(ZMQ.Socket peer, int aliceId, int index) {
        for (int n = 0; n < MESSAGES_PER_PEER; n++) {
            Msg msg = new Msg(("peer " + index + " message " + n).getBytes(StandardCharsets.UTF_8));
            msg.setRoutingId(aliceId);
            assertThat(peer.base().send(msg, ZMQ.DONTWAIT)).as("queued to alice").isTrue();
        }
    }

    /** Answers every message; remembers which routing id each peer's messages came from. */
    static class Acknowledger {

        private final Map<String, Integer> routingIdByPeer = new ConcurrentHashMap<>();

        @ZmqListener(peer = "alice", concurrency = "4")
        String acknowledge(String text, @RoutingId int routingId) {
            this.routingIdByPeer.merge(text.substring(0, text.indexOf(" message")), routingId,
                    (earlier, now) -> {
                        if (!earlier.equals(now)) {
                            throw new IllegalStateException(text + " came from " + now + ", earlier from " + earlier);
                        }
                        return now;
                    });
            return "ack " + text;
        }

        Set<Integer> peers() {
            return new HashSet<>(this.routingIdByPeer.values());
        }
    }
}
