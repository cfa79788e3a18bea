package io.github.zmqboot.internal.peer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import io.github.zmqboot.autoconfigure.ZmqAutoConfiguration;
import io.github.zmqboot.core.ZmqError;
import io.github.zmqboot.core.ZmqException;
import io.github.zmqboot.core.ZmqPeer;
import io.github.zmqboot.internal.engine.SocketOptions;
import io.github.zmqboot.internal.socket.ZmqSockets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Proves that {@link ZmqPeer#connect(String)} is atomic under concurrency, as libzmq's {@code zmq_connect_peer(3)}
 * promises: when many threads connect one shared PEER at the same instant (over tcp, and over tcp and inproc mixed),
 * each caller gets the routing id of its own connection, so every message reaches exactly the peer its sender
 * meant. Also proves that connects, disconnects and sends racing on one PEER never corrupt it.
 */
class ConcurrentConnectPeerTest {

    private static final int PEERS = 16;

    private static final int ROUNDS = 25;

    private static final int MIXED_ROUNDS = 5;

    private static final int WINDOW = 64;

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** Generous bound for all rounds of one test on a loaded machine; normally they take well under that. */
    private static final Duration ALL_ROUNDS = Duration.ofSeconds(120);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ZmqAutoConfiguration.class))
        .withPropertyValues("zmq.context.linger=0s")
        .withPropertyValues(boundPeerProperties());

    private ExecutorService executor;

    @BeforeEach
    void createExecutor() {
        this.executor = Executors.newFixedThreadPool(PEERS);
    }

    @AfterEach
    void shutDownExecutor() throws InterruptedException {
        // never interrupt threads that may be inside the engine: the closed context has released them
        this.executor.shutdown();
        assertThat(this.executor.awaitTermination(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void concurrentConnectsOverTcpEachGetTheirOwnRoutingId() {
        this.runner.run((context) -> {
            List<ZmqPeer> targets = boundPeers(context);
            List<String> endpoints = targets.stream().map((peer) -> peer.boundEndpoints().get(0)).toList();
            assertThat(endpoints).allMatch((endpoint) -> endpoint.startsWith("tcp://127.0.0.1:"));
            long start = System.nanoTime();
            for (int round = 0; round < ROUNDS; round++) {
                connectConcurrently(context, "tcp-round-" + round, targets, endpoints);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(ALL_ROUNDS);
        });
    }

    @Test
    void concurrentConnectsOverTcpAndInprocMixedEachGetTheirOwnRoutingId() {
        this.runner.run((context) -> {
            List<ZmqPeer> targets = boundPeers(context);
            List<String> endpoints = new ArrayList<>();
            for (int i = 0; i < PEERS; i++) {
                // even: tcp, odd: inproc
                endpoints.add(targets.get(i).boundEndpoints().get(i % 2));
            }
            assertThat(endpoints).filteredOn((endpoint) -> endpoint.startsWith("inproc://")).hasSize(PEERS / 2);
            long start = System.nanoTime();
            for (int round = 0; round < MIXED_ROUNDS; round++) {
                connectConcurrently(context, "mixed-round-" + round, targets, endpoints);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(ALL_ROUNDS);
        });
    }

    @Test
    void concurrentSendsConnectsAndDisconnectsNeverCorruptThePeer() {
        int senders = 8;
        int churns = 200;
        this.runner.run((context) -> {
            ZmqPeer a = context.getBean("b0", ZmqPeer.class);
            ZmqPeer b = context.getBean("b1", ZmqPeer.class);
            String aEndpoint = a.boundEndpoints().get(0);
            String bEndpoint = b.boundEndpoints().get(0);
            ZmqPeer client = context.getBean(ZmqSockets.class)
                .createPeer("churning-client", SocketOptions.NONE.withLinger(Duration.ZERO));
            int aId = client.connect(aEndpoint);
            client.send(aId, "warm-up");
            assertThat(text(a.receive(TIMEOUT))).isEqualTo("warm-up");

            Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
            Queue<String> receivedAtA = new ConcurrentLinkedQueue<>();
            AtomicBoolean churnDone = new AtomicBoolean();
            AtomicBoolean stopReceiving = new AtomicBoolean();
            CyclicBarrier start = new CyclicBarrier(senders + 1);
            // flow control: at most this many messages in flight to A, so the senders keep pace with the churn
            Semaphore window = new Semaphore(WINDOW);

            Future<?> receiver = this.executor.submit(() -> {
                while (!stopReceiving.get()) {
                    // the timeout only lets the loop see the stop flag
                    ZmqPeer.Received received = a.receive(Duration.ofMillis(50));
                    if (received != null) {
                        receivedAtA.add(new String(received.payload(), StandardCharsets.UTF_8));
                        window.release();
                    }
                }
                return null;
            });
            List<Future<Integer>> sent = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                String sender = "s" + s;
                sent.add(this.executor.submit(() -> {
                    start.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                    int count = 0;
                    // at least a few messages each, then for as long as the churn runs
                    while (count < 20 || !churnDone.get()) {
                        try {
                            if (!window.tryAcquire(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                                failures.add(new AssertionError(sender + ": A received nothing for " + TIMEOUT));
                                break;
                            }
                            client.send(aId, sender + ":" + count);
                        }
                        catch (RuntimeException ex) {
                            failures.add(ex);
                            break;
                        }
                        count++;
                    }
                    return count;
                }));
            }
            Future<List<Integer>> churn = this.executor.submit(() -> {
                List<Integer> bIds = new ArrayList<>();
                try {
                    start.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                    for (int i = 0; i < churns; i++) {
                        int bId = client.connect(bEndpoint);
                        bIds.add(bId);
                        client.send(bId, "b:" + i);
                        client.disconnect(bId);
                        try {
                            client.send(bId, "b-after-disconnect:" + i);
                            failures.add(new AssertionError("send to disconnected routing id " + bId + " succeeded"));
                        }
                        catch (ZmqException ex) {
                            if (ex.error() != ZmqError.EHOSTUNREACH) {
                                failures.add(ex);
                            }
                        }
                    }
                }
                catch (Throwable ex) {
                    failures.add(ex);
                }
                finally {
                    churnDone.set(true);
                }
                return bIds;
            });

            List<Integer> bIds = churn.get(TIMEOUT.toSeconds() * 3, TimeUnit.SECONDS);
            Map<String, Integer> sentBySender = new HashMap<>();
            int total = 0;
            for (int s = 0; s < senders; s++) {
                int count = sent.get(s).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                sentBySender.put("s" + s, count);
                total += count;
            }
            assertThat(failures).isEmpty();
            assertThat(bIds).hasSize(churns).doesNotContain(0, aId).doesNotHaveDuplicates();
            assertThat(client.connections()).containsOnly(Map.entry(aId, aEndpoint));

            int expected = total;
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(10)).until(() -> receivedAtA.size() >= expected);
            stopReceiving.set(true);
            receiver.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

            // A got exactly what was sent to it, in each sender's order, and nothing meant for B
            Map<String, List<Integer>> receivedBySender = new HashMap<>();
            for (String message : receivedAtA) {
                String[] parts = message.split(":");
                receivedBySender.computeIfAbsent(parts[0], (key) -> new ArrayList<>()).add(Integer.parseInt(parts[1]));
            }
            assertThat(receivedBySender.keySet()).isEqualTo(sentBySender.keySet());
            sentBySender.forEach((sender, count) -> assertThat(receivedBySender.get(sender)).as(sender)
                .containsExactlyElementsOf(IntStream.range(0, count).boxed().toList()));

            // nothing meant for A went to B either
            List<String> receivedAtB = new ArrayList<>();
            for (ZmqPeer.Received atB = b.receive(Duration.ZERO); atB != null; atB = b.receive(Duration.ZERO)) {
                receivedAtB.add(new String(atB.payload(), StandardCharsets.UTF_8));
            }
            assertThat(receivedAtB).allMatch((message) -> message.matches("b:\\d+"));

            // and A still works afterwards, both ways
            client.send(aId, "after the storm");
            ZmqPeer.Received last = a.receive(TIMEOUT);
            assertThat(text(last)).isEqualTo("after the storm");
            a.send(last.routingId(), "calm");
            ZmqPeer.Received reply = client.receive(TIMEOUT);
            assertThat(text(reply)).isEqualTo("calm");
            assertThat(reply.routingId()).isEqualTo(aId);
            client.close();
        });
    }

    /**
     * One round: a fresh connecting peer, one thread per target, all released at once, each connecting to its target
     * and sending it a message naming it; then every target must hold exactly its own message.
     */
    private void connectConcurrently(AssertableApplicationContext context, String round, List<ZmqPeer> targets,
            List<String> endpoints) throws Exception {
        ZmqPeer client = context.getBean(ZmqSockets.class)
            .createPeer(round, SocketOptions.NONE.withLinger(Duration.ZERO));
        try {
            CyclicBarrier start = new CyclicBarrier(endpoints.size());
            List<Future<Integer>> routingIds = new ArrayList<>();
            for (String endpoint : endpoints) {
                routingIds.add(this.executor.submit(() -> {
                    start.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                    int routingId = client.connect(endpoint);
                    client.send(routingId, message(round, endpoint));
                    return routingId;
                }));
            }
            Map<Integer, String> expectedConnections = new HashMap<>();
            for (int i = 0; i < endpoints.size(); i++) {
                int routingId = routingIds.get(i).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                assertThat(routingId).as(round + ": routing id for " + endpoints.get(i)).isNotZero();
                assertThat(expectedConnections.put(routingId, endpoints.get(i)))
                    .as(round + ": routing id " + routingId + " returned twice").isNull();
            }
            assertThat(client.connections()).as(round).isEqualTo(expectedConnections);
            for (int i = 0; i < targets.size(); i++) {
                ZmqPeer.Received received = targets.get(i).receive(TIMEOUT);
                assertThat(text(received)).as(round + ": message at " + endpoints.get(i))
                    .isEqualTo(message(round, endpoints.get(i)));
            }
            for (int i = 0; i < targets.size(); i++) {
                assertThat(targets.get(i).receive(Duration.ZERO)).as(round + ": extra message at " + endpoints.get(i))
                    .isNull();
            }
        }
        finally {
            client.close();
        }
    }

    private static String message(String round, String endpoint) {
        return round + " for " + endpoint;
    }

    private static List<ZmqPeer> boundPeers(AssertableApplicationContext context) {
        List<ZmqPeer> peers = new ArrayList<>();
        for (int i = 0; i < PEERS; i++) {
            peers.add(context.getBean("b" + i, ZmqPeer.class));
        }
        return peers;
    }

    private static String[] boundPeerProperties() {
        List<String> properties = new ArrayList<>();
        for (int i = 0; i < PEERS; i++) {
            properties.add("zmq.peers.b" + i + ".bind[0]=tcp://127.0.0.1:0");
            properties.add("zmq.peers.b" + i + ".bind[1]=inproc://concurrent-b" + i);
        }
        return properties.toArray(String[]::new);
    }

    private static String text(ZmqPeer.Received received) {
        assertThat(received).as("a message within " + TIMEOUT).isNotNull();
        return new String(received.payload(), StandardCharsets.UTF_8);
    }
}
