package io.github.zmqboot.listener;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.github.zmqboot.annotation.RoutingId;
import io.github.zmqboot.annotation.ZmqListener;
import io.github.zmqboot.autoconfigure.ZmqAutoConfiguration;
import io.github.zmqboot.core.ZmqPeer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** A {@code @ZmqListener} on a PEER socket answers each message to the routing id it came from. */
class PeerListenerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ZmqAutoConfiguration.class))
        .withUserConfiguration(EchoConfig.class)
        .withPropertyValues("zmq.peers.alice.bind[0]=tcp://127.0.0.1:0", "zmq.peers.bob.linger=0");

    @Test
    void theReturnValueIsSentBackToTheSender() {
        this.runner.run(context -> {
            ZmqPeer alice = context.getBean("alice", ZmqPeer.class);
            ZmqPeer bob = context.getBean("bob", ZmqPeer.class);
            int aliceId = bob.connect(alice.boundEndpoints().get(0));
            bob.send(aliceId, "hello");
            ZmqPeer.Received reply = bob.receive(TIMEOUT);
            assertThat(reply).isNotNull();
            assertThat(new String(reply.payload(), StandardCharsets.UTF_8)).startsWith("echo hello from ");
            ZmqListenerContainer container = context.getBean(ZmqListenerEndpointRegistry.class).getListenerContainer("echo");
            assertThat(container.isRunning()).isTrue();
            assertThat(container.handled()).isEqualTo(1);
            assertThatIllegalStateException().isThrownBy(() -> alice.receive(Duration.ZERO));
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class EchoConfig {

        @Bean
        Echo echo() {
            return new Echo();
        }
    }

    static class Echo {

        @ZmqListener(id = "echo", peer = "alice")
        String echo(String text, @RoutingId int sender) {
            return "echo " + text + " from " + sender;
        }
    }
}
