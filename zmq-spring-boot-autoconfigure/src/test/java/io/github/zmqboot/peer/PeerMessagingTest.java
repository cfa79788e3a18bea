package io.github.zmqboot.peer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.github.zmqboot.autoconfigure.ZmqAutoConfiguration;
import io.github.zmqboot.core.ZmqPeer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** PEER messaging both ways over every transport the engine has, through configured peer beans. */
class PeerMessagingTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ZmqAutoConfiguration.class));

    @ParameterizedTest
    @ValueSource(strings = { "tcp://127.0.0.1:0", "ipc://*", "inproc://peer-messaging" })
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
}
