package io.github.zmqboot.listener;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

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
import static org.awaitility.Awaitility.await;
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

    @Test
    void sendsFromOtherThreadsAreNotHeldUpByTheListenerWaitingInsideTheEngine() {
        this.runner.run(context -> {
            ZmqPeer alice = context.getBean("alice", ZmqPeer.class);
            ZmqPeer bob = context.getBean("bob", ZmqPeer.class);
            int aliceId = bob.connect(alice.boundEndpoints().get(0));
            bob.send(aliceId, "hello");
            String echo = new String(bob.receive(TIMEOUT).payload(), StandardCharsets.UTF_8);
            int bobId = Integer.parseInt(echo.substring(echo.lastIndexOf(' ') + 1));
            // the engine holds its socket lock while the listener waits inside it (up to a second when nothing
            // comes): each send must cancel that wait at once
            long start = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                await().atMost(TIMEOUT).until(() -> isWaitingInsideTheEngine("zmq-alice-reader"));
                alice.send(bobId, "while the listener waits " + i);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            for (int i = 0; i < 10; i++) {
                assertThat(bob.receive(TIMEOUT).payload()).asString(StandardCharsets.UTF_8)
                    .isEqualTo("while the listener waits " + i);
            }
            bob.send(aliceId, "still there?");
            assertThat(bob.receive(TIMEOUT).payload()).asString(StandardCharsets.UTF_8)
                .isEqualTo("echo still there? from " + bobId);
        });
    }

    private static boolean isWaitingInsideTheEngine(String threadName) {
        return Thread.getAllStackTraces().entrySet().stream()
            .filter(entry -> entry.getKey().getName().equals(threadName))
            .anyMatch(entry -> Arrays.stream(entry.getValue())
                .anyMatch(frame -> frame.getClassName().equals("zmq.Mailbox") && frame.getMethodName().equals("recv"))
                    && Arrays.stream(entry.getValue())
                        .anyMatch(frame -> frame.getMethodName().equals("receiveAsReader")));
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
