package io.github.zmqboot.internal.transport;

import java.time.Duration;

import io.github.zmqboot.autoconfigure.ZmqAutoConfiguration;
import io.github.zmqboot.core.ZmqPeer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many fresh ws connections one after another, each with a 1 s handshake interval on the binding side: every one
 * completes its upgrade and handshake and carries its first message in time (seen on a loaded machine: a handshake
 * stalled until the interval closed it, when the engine's registration of its channel was lost in JeroMQ's poller;
 * see StreamConnecter).
 */
class WsConnectionChurnTest {

    @Test
    void twoHundredFreshConnectionsEachCarryTheirFirstMessage() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ZmqAutoConfiguration.class))
            .withPropertyValues("zmq.defaults.linger=0", "zmq.peers.alice.bind[0]=ws://127.0.0.1:0/peer",
                    "zmq.peers.alice.handshake-interval=1s", "zmq.peers.bob.linger=0")
            .run(context -> {
                ZmqPeer alice = context.getBean("alice", ZmqPeer.class);
                ZmqPeer bob = context.getBean("bob", ZmqPeer.class);
                for (int i = 0; i < 200; i++) {
                    int id = bob.connect(alice.boundEndpoints().get(0));
                    bob.send(id, "m" + i);
                    ZmqPeer.Received received = alice.receive(Duration.ofSeconds(5));
                    assertThat(received).as("message %d", i).isNotNull();
                    assertThat(received.payload()).asString().isEqualTo("m" + i);
                    bob.disconnect(id);
                }
            });
    }
}
