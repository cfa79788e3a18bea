package io.github.zmqboot.actuate;

import java.nio.charset.StandardCharsets;

import io.github.zmqboot.autoconfigure.ZmqAutoConfiguration;
import io.github.zmqboot.autoconfigure.ZmqEndpointAutoConfiguration;
import io.github.zmqboot.autoconfigure.ZmqHealthContributorAutoConfiguration;
import io.github.zmqboot.autoconfigure.ZmqMetricsAutoConfiguration;
import io.github.zmqboot.core.ZmqPeer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static io.github.zmqboot.actuate.ActuatorHttp.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter without actuator: with {@code org.springframework.boot.actuate} and {@code org.springframework.boot.health}
 * hidden, the auto-configurations (core, health, endpoint, metrics) still start a context whose peers talk, and neither the health indicator nor the
 * endpoint exists; with them visible (the control case) both do.
 */
class ZmqWithoutActuatorTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ZmqAutoConfiguration.class, ZmqHealthContributorAutoConfiguration.class,
                ZmqEndpointAutoConfiguration.class, ZmqMetricsAutoConfiguration.class))
        .withPropertyValues("zmq.peers.alice.bind[0]=tcp://127.0.0.1:0", "zmq.peers.alice.linger=0",
                "zmq.peers.bob.linger=0", "management.endpoints.web.exposure.include=zmq");

    @Test
    void contextStartsAndPeersTalkWithoutHealthIndicatorOrEndpoint() {
        this.runner
            .withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate", "org.springframework.boot.health"))
            .run(context -> {
                assertThat(context).hasNotFailed();
                assertThat(context).doesNotHaveBean(ZmqHealthIndicator.class);
                assertThat(context).doesNotHaveBean(ZmqEndpoint.class);
                assertThat(context).doesNotHaveBean(ZmqEndpointWebExtension.class);
                assertThat(context).doesNotHaveBean("zmqHealthIndicator");
                assertThat(context).doesNotHaveBean("zmqEndpoint");
                assertPeersTalk(context.getBean("alice", ZmqPeer.class), context.getBean("bob", ZmqPeer.class));
            });
    }

    @Test
    void withActuatorVisibleTheHealthIndicatorAndEndpointExist() {
        this.runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(ZmqHealthIndicator.class);
            assertThat(context).hasSingleBean(ZmqEndpoint.class);
        });
    }

    private static void assertPeersTalk(ZmqPeer alice, ZmqPeer bob) {
        int aliceId = bob.connect(alice.boundEndpoints().get(0));
        bob.send(aliceId, "still works");
        ZmqPeer.Received received = alice.receive(TIMEOUT);
        assertThat(received).as("a message within %s", TIMEOUT).isNotNull();
        assertThat(new String(received.payload(), StandardCharsets.UTF_8)).isEqualTo("still works");
    }
}
