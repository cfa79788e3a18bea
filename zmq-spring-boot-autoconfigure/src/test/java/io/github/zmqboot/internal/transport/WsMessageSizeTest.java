package io.github.zmqboot.internal.transport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.zmqboot.autoconfigure.ZmqAutoConfiguration;
import io.github.zmqboot.core.ZmqPeer;
import io.github.zmqboot.interop.SelfSignedCertificate;
import io.github.zmqboot.core.SocketEvent;
import io.github.zmqboot.internal.peer.DefaultZmqPeer;
import io.github.zmqboot.internal.engine.ZmqSocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Message sizes over ws: a 1 MiB message travels both ways with default options (one WebSocket frame each), over
 * wss too (many TLS records each), and
 * {@code max-message-size} governs ws frames as it governs tcp frames: a message of exactly the limit passes, a larger
 * one drops its connection, reported as an oversize drop, with nothing delivered, and the socket keeps serving.
 */
@ExtendWith(OutputCaptureExtension.class)
class WsMessageSizeTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static final int MIB = 1024 * 1024;

    private static final int LIMIT = 1000;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ZmqAutoConfiguration.class))
        .withPropertyValues("zmq.defaults.linger=0", "zmq.peers.alice.bind[0]=ws://127.0.0.1:0/big",
                "zmq.peers.bob.linger=0");

    @Test
    void aMebibyteMessageTravelsBothWaysWithDefaultOptions() {
        this.runner.run(WsMessageSizeTest::mebibyteBothWays);
    }

    @Test
    void aMebibyteMessageTravelsBothWaysOverWss(@TempDir Path folder) throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.generate(folder);
        this.runner.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
            .withPropertyValues(certificate.bundleProperties("tls"))
            .withPropertyValues("zmq.peers.alice.bind[0]=wss://127.0.0.1:0/big", "zmq.peers.alice.ssl-bundle=tls",
                    "zmq.peers.bob.ssl-bundle=tls")
            .run(WsMessageSizeTest::mebibyteBothWays);
    }

    private static void mebibyteBothWays(AssertableApplicationContext context) {
        ZmqPeer alice = context.getBean("alice", ZmqPeer.class);
        ZmqPeer bob = context.getBean("bob", ZmqPeer.class);
        byte[] request = randomBytes(MIB, 1);
        byte[] reply = randomBytes(MIB, 2);

        int aliceId = bob.connect(alice.boundEndpoints().get(0));
        bob.send(aliceId, request);
        ZmqPeer.Received received = alice.receive(TIMEOUT);
        assertThat(received).as("bob's 1 MiB at alice").isNotNull();
        assertThat(received.payload()).isEqualTo(request);

        alice.send(received.routingId(), reply);
        ZmqPeer.Received answer = bob.receive(TIMEOUT);
        assertThat(answer).as("alice's 1 MiB at bob").isNotNull();
        assertThat(answer.routingId()).isEqualTo(aliceId);
        assertThat(answer.payload()).isEqualTo(reply);
    }

    @Test
    void aMessageOverMaxMessageSizeDropsItsConnectionAndNothingIsDelivered(CapturedOutput output) {
        this.runner.withPropertyValues("zmq.peers.alice.max-message-size=" + LIMIT,
                "zmq.peers.bob.reconnect-interval=1h", "zmq.peers.carol.linger=0")
            .run(context -> {
                ZmqPeer alice = context.getBean("alice", ZmqPeer.class);
                ZmqPeer bob = context.getBean("bob", ZmqPeer.class);
                List<SocketEvent> aliceDisconnects = new CopyOnWriteArrayList<>();
                context.getBean(ZmqSocketFactory.class).socketMonitor().addListener(event -> {
                    if (event.socket().equals("alice") && event.kind() == SocketEvent.Kind.DISCONNECTED) {
                        aliceDisconnects.add(event);
                    }
                });
                int aliceId = bob.connect(alice.boundEndpoints().get(0));

                bob.send(aliceId, new byte[LIMIT]);
                ZmqPeer.Received atTheLimit = alice.receive(TIMEOUT);
                assertThat(atTheLimit).as("a message of exactly max-message-size").isNotNull();
                assertThat(atTheLimit.payload()).hasSize(LIMIT);
                assertThat(aliceDisconnects).isEmpty();

                bob.send(aliceId, new byte[LIMIT + 1]);
                bob.send(aliceId, new byte[2 * LIMIT]);
                await("alice dropped bob's connection").atMost(TIMEOUT).until(() -> !aliceDisconnects.isEmpty());
                assertThat(alice.receive(Duration.ofMillis(500))).as("nothing over the limit delivered").isNull();
                assertThat(aliceDisconnects).hasSize(1);
                SocketEvent drop = aliceDisconnects.get(0);
                assertThat(drop.oversizedMessage()).as("reported as an oversize drop (EMSGSIZE): %s", drop).isTrue();
                assertThat(drop.peer()).isNotNull();
                assertThat(((DefaultZmqPeer) alice).managedSocket().droppedOversizedConnections()).isEqualTo(1);
                // one line for the drop, by the transport that refused the frame (the disconnect adds none)
                assertThat(output.getOut().lines().filter(line -> line.contains("127.0.0.1")
                        && (line.contains("Closed a connection") || line.contains("dropped a connection"))))
                    .singleElement().asString().contains("Closed a connection from 127.0.0.1")
                    .contains("(socket 'alice')")
                    .contains("a frame of " + (LIMIT + 1) + " bytes, over max-message-size (" + LIMIT + ")");

                // alice (and her I/O thread) keeps serving
                ZmqPeer carol = context.getBean("carol", ZmqPeer.class);
                int carolsAliceId = carol.connect(alice.boundEndpoints().get(0));
                carol.send(carolsAliceId, "still there?");
                ZmqPeer.Received question = alice.receive(TIMEOUT);
                assertThat(question).as("carol's message after the drop").isNotNull();
                alice.send(question.routingId(), "yes");
                assertThat(carol.receive(TIMEOUT)).as("alice's answer to carol").isNotNull();
            });
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
