package io.github.zmqboot.internal.peer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.zmqboot.autoconfigure.ZmqAutoConfiguration;
import io.github.zmqboot.core.ZmqPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** PEER messaging both ways over every transport the engine has, through configured peer beans. */
class PeerMessagingTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ZmqAutoConfiguration.class));

    @ParameterizedTest
    @ValueSource(strings = { "tcp://127.0.0.1:0", "ipc://*", "inproc://peer-messaging", "ws://127.0.0.1:0/peer" })
    void connectorSendsToTheReturnedRoutingIdAndBinderRepliesToTheReceivedOne(String bindEndpoint) {
        this.runner.withPropertyValues("zmq.peers.alice.bind[0]=" + bindEndpoint, "zmq.peers.bob.linger=0")
            .run(context -> {
                ZmqPeer alice = context.getBean("alice", ZmqPeer.class);
                ZmqPeer bob = context.getBean("bob", ZmqPeer.class);
                String endpoint = alice.boundEndpoints().get(0);

                int aliceId = bob.connect(endpoint);
                assertThat(aliceId).isNotZero();
                assertThat(bob.connections()).containsEntry(aliceId, endpoint);

                bob.send(aliceId, "hello");
                ZmqPeer.Received request = alice.receive(TIMEOUT);
                assertThat(request).isNotNull();
                assertThat(new String(request.payload(), StandardCharsets.UTF_8)).isEqualTo("hello");

                alice.send(request.routingId(), "hi bob");
                ZmqPeer.Received reply = bob.receive(TIMEOUT);
                assertThat(reply).isNotNull();
                assertThat(reply.routingId()).isEqualTo(aliceId);
                assertThat(new String(reply.payload(), StandardCharsets.UTF_8)).isEqualTo("hi bob");
            });
    }

    /**
     * JeroMQ 0.6.0 holds a thread-safe socket's lock for the whole of a blocking receive; the peer must wait outside
     * it, so a send from another thread is not held up by a receive waiting for minutes.
     */
    @Test
    void aReceiveWaitingOnOneThreadDoesNotHoldUpSendsFromAnother() {
        this.runner.withPropertyValues("zmq.peers.alice.bind[0]=inproc://not-held-up", "zmq.peers.bob.linger=0").run(context -> {
            ZmqPeer alice = context.getBean("alice", ZmqPeer.class);
            ZmqPeer bob = context.getBean("bob", ZmqPeer.class);
            int aliceId = bob.connect("inproc://not-held-up");
            bob.send(aliceId, "hello");
            int bobId = alice.receive(TIMEOUT).routingId();

            CompletableFuture<ZmqPeer.Received> waiting = CompletableFuture.supplyAsync(() -> bob.receive(Duration.ofMinutes(2)));
            await().atMost(TIMEOUT).until(() -> isWaitingInReceive(waiting));
            long start = System.nanoTime();
            for (int i = 0; i < 100; i++) {
                bob.send(aliceId, "while bob waits " + i);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
            for (int i = 0; i < 100; i++) {
                assertThat(alice.receive(TIMEOUT)).isNotNull();
            }
            alice.send(bobId, "done");
            assertThat(waiting.get(10, TimeUnit.SECONDS).payload()).asString(StandardCharsets.UTF_8).isEqualTo("done");
        });
    }

    private static boolean isWaitingInReceive(CompletableFuture<?> waiting) {
        return !waiting.isDone() && Thread.getAllStackTraces().entrySet().stream()
            .anyMatch(entry -> Arrays.stream(entry.getValue())
                .anyMatch(frame -> frame.getClassName().endsWith("ManagedSocket") && frame.getMethodName().equals("receiveWithoutBlocking"))
                    && Arrays.stream(entry.getValue()).anyMatch(frame -> frame.getClassName().endsWith("SignalWaiter")));
    }
}
