package io.github.zmqboot.sample;

import java.time.Duration;

import io.github.zmqboot.core.ZmqPeer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The sample starts with its own configuration (on an ephemeral port) and bob's pings get alice's answers. */
@SpringBootTest(properties = { "sample.alice-port=0", "sample.ping-interval=100ms" })
class ZmqSampleApplicationTest {

    @Autowired
    @Qualifier("alice")
    private ZmqPeer alice;

    @Autowired
    private BobConnector connector;

    @Autowired
    private BobPinger pinger;

    @Test
    void bobIsConnectedToAliceAndHerAnswersArrive() {
        assertThat(this.alice.boundEndpoints()).singleElement().asString().doesNotEndWith(":0");
        assertThat(this.connector.aliceRoutingId()).isNotZero();
        await().atMost(Duration.ofSeconds(20)).until(() -> this.pinger.pongs() >= 3);
    }
}
