package io.github.zmqboot.internal.proxy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.github.zmqboot.autoconfigure.ZmqAutoConfiguration;
import io.github.zmqboot.core.ProxyStatistics;
import io.github.zmqboot.core.ZmqProxy;
import io.github.zmqboot.testing.QuietOutputCaptureExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.zeromq.SocketType;
import org.zeromq.ZFrame;
import org.zeromq.ZMQ;
import org.zeromq.ZMsg;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static io.github.zmqboot.internal.proxy.TestClients.TIMEOUT;
import static io.github.zmqboot.internal.proxy.TestClients.canBind;
import static io.github.zmqboot.internal.proxy.TestClients.portOf;
import static io.github.zmqboot.internal.proxy.TestClients.receive;
import static io.github.zmqboot.internal.proxy.TestClients.receiveStrings;
import static io.github.zmqboot.internal.proxy.TestClients.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The control socket speaks {@code zmq_proxy_steerable}'s protocol byte for byte, as a C or Python program written
 * for libzmq sends it: {@code PAUSE}, {@code RESUME}, {@code TERMINATE} (a REP control socket answers each with one
 * empty frame, a PAIR one answers nothing), {@code STATISTICS} (eight frames, each a little-endian uint64, on both
 * types); an unknown command is ignored and never fatal.
 */
@ExtendWith(QuietOutputCaptureExtension.class)
class ProxyControlSocketTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ZmqAutoConfiguration.class))
        .withPropertyValues("zmq.proxies.pipe.type=pull-push", "zmq.proxies.pipe.frontend.bind[0]=tcp://127.0.0.1:0",
                "zmq.proxies.pipe.backend.bind[0]=tcp://127.0.0.1:0",
                "zmq.proxies.pipe.control.bind[0]=tcp://127.0.0.1:0");

    @Test
    void repControlSocketAnswersEveryCommandAsLibzmqDoes() {
        this.runner.run(context -> {
            ZmqProxy pipe = context.getBean("pipe", ZmqProxy.class);
            assertThat(pipe.controlEndpoints()).hasSize(1);
            try (TestClients clients = new TestClients()) {
                ZMQ.Socket control = clients.connect(SocketType.REQ, pipe.controlEndpoints().get(0));
                ZMQ.Socket producer = clients.connect(SocketType.PUSH, pipe.frontendEndpoints().get(0));
                ZMQ.Socket consumer = clients.connect(SocketType.PULL, pipe.backendEndpoints().get(0));

                assertThat(statistics(command(control, "STATISTICS"))).isEqualTo(ProxyStatistics.ZERO);
                producer.sendMore("ab");
                producer.send("cde");
                assertThat(receiveStrings(consumer)).containsExactly("ab", "cde");
                ProxyStatistics afterOne = new ProxyStatistics(2, 5, 0, 0, 0, 0, 2, 5);
                await().atMost(TIMEOUT).until(() -> pipe.statistics().equals(afterOne));
                assertThat(statistics(command(control, "STATISTICS"))).isEqualTo(afterOne);

                assertEmptyReply(command(control, "PAUSE"));
                assertThat(pipe.state()).isEqualTo(ZmqProxy.State.PAUSED);
                send(producer, "held");
                assertThat(TestClients.arrivesWithin(consumer, Duration.ofSeconds(1))).isFalse();

                assertEmptyReply(command(control, "pause"));
                assertEmptyReply(command(control, "RESUME "));
                assertEmptyReply(command(control, "NONSENSE"));
                assertThat(pipe.state()).as("unknown commands change nothing").isEqualTo(ZmqProxy.State.PAUSED);

                assertEmptyReply(command(control, "RESUME"));
                assertThat(pipe.state()).isEqualTo(ZmqProxy.State.RUNNING);
                assertThat(receiveStrings(consumer)).containsExactly("held");
                ProxyStatistics afterTwo = new ProxyStatistics(3, 9, 0, 0, 0, 0, 3, 9);
                await().atMost(TIMEOUT).until(() -> pipe.statistics().equals(afterTwo));
                assertThat(statistics(command(control, "STATISTICS"))).isEqualTo(afterTwo);

                int controlPort = portOf(pipe.controlEndpoints().get(0));
                int frontendPort = portOf(pipe.frontendEndpoints().get(0));
                assertEmptyReply(command(control, "TERMINATE"));
                await().atMost(TIMEOUT).until(() -> pipe.state() == ZmqProxy.State.TERMINATED);
                assertThat(pipe.failure()).isNull();
                assertThat(pipe.controlEndpoints()).isEmpty();
                assertThat(canBind(controlPort)).isTrue();
                assertThat(canBind(frontendPort)).isTrue();
            }
        });
    }

    @Test
    void pairControlSocketAnswersOnlyStatistics() {
        this.runner.withPropertyValues("zmq.proxies.pipe.control.type=PAIR").run(context -> {
            ZmqProxy pipe = context.getBean("pipe", ZmqProxy.class);
            try (TestClients clients = new TestClients()) {
                ZMQ.Socket control = clients.connect(SocketType.PAIR, pipe.controlEndpoints().get(0));
                // the PAIR connection is up once a STATISTICS reply came back
                assertThat(statistics(command(control, "STATISTICS"))).isEqualTo(ProxyStatistics.ZERO);

                send(control, "PAUSE");
                send(control, "bogus");
                // the next message on the control socket is the STATISTICS reply: PAUSE and bogus got none
                assertThat(statistics(command(control, "STATISTICS"))).isEqualTo(ProxyStatistics.ZERO);
                assertThat(pipe.state()).isEqualTo(ZmqProxy.State.PAUSED);

                send(control, "RESUME");
                assertThat(statistics(command(control, "STATISTICS"))).isEqualTo(ProxyStatistics.ZERO);
                assertThat(pipe.state()).isEqualTo(ZmqProxy.State.RUNNING);

                send(control, "TERMINATE");
                await().atMost(TIMEOUT).until(() -> pipe.state() == ZmqProxy.State.TERMINATED);
                assertThat(TestClients.arrivesWithin(control, Duration.ofMillis(500))).as("no reply to TERMINATE")
                    .isFalse();
            }
        });
    }

    @Test
    void aRestrictedControlSocketRefusesEveryOtherCommandAsAnUnknownOne() {
        this.runner.withPropertyValues("zmq.proxies.pipe.control.allowed-commands=statistics").run(context -> {
            ZmqProxy pipe = context.getBean("pipe", ZmqProxy.class);
            try (TestClients clients = new TestClients()) {
                ZMQ.Socket control = clients.connect(SocketType.REQ, pipe.controlEndpoints().get(0));
                assertEmptyReply(command(control, "PAUSE"));
                assertThat(pipe.state()).isEqualTo(ZmqProxy.State.RUNNING);
                assertEmptyReply(command(control, "TERMINATE"));
                assertThat(pipe.state()).isEqualTo(ZmqProxy.State.RUNNING);
                assertThat(statistics(command(control, "STATISTICS"))).isEqualTo(ProxyStatistics.ZERO);
                ZMQ.Socket producer = clients.connect(SocketType.PUSH, pipe.frontendEndpoints().get(0));
                ZMQ.Socket consumer = clients.connect(SocketType.PULL, pipe.backendEndpoints().get(0));
                send(producer, "still forwarding");
                assertThat(receiveStrings(consumer)).containsExactly("still forwarding");
            }
        });
    }

    @Test
    void anAllowedCommandThatIsNoneFailsStartupNamingTheProperty() {
        this.runner.withPropertyValues("zmq.proxies.pipe.control.allowed-commands=STATISTICS,SHUTDOWN")
            .run(context -> assertThat(ProxyConfigurationTest.cause(context.getStartupFailure()).property())
                .isEqualTo("zmq.proxies.pipe.control.allowed-commands"));
    }

    /** Sends {@code command} as libzmq tooling does (the bare ASCII bytes) and returns the reply. */
    private static ZMsg command(ZMQ.Socket control, String command) {
        assertThat(control.send(command.getBytes(StandardCharsets.US_ASCII))).isTrue();
        return receive(control);
    }

    private static void assertEmptyReply(ZMsg reply) {
        assertThat(reply).hasSize(1);
        assertThat(reply.getFirst().size()).isZero();
    }

    /** Decodes a STATISTICS reply: 8 frames of 8 bytes, little-endian unsigned 64-bit integers. */
    private static ProxyStatistics statistics(ZMsg reply) {
        assertThat(reply).hasSize(8);
        long[] values = new long[8];
        int i = 0;
        for (ZFrame frame : reply) {
            assertThat(frame.size()).isEqualTo(8);
            values[i++] = ByteBuffer.wrap(frame.getData()).order(ByteOrder.LITTLE_ENDIAN).getLong();
        }
        return new ProxyStatistics(values[0], values[1], values[2], values[3], values[4], values[5], values[6],
                values[7]);
    }
}
