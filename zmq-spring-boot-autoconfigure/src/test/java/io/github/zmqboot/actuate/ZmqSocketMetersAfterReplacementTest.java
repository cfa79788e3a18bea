package io.github.zmqboot.actuate;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.zmqboot.autoconfigure.ZmqAutoConfiguration;
import io.github.zmqboot.autoconfigure.ZmqMetricsAutoConfiguration;
import io.github.zmqboot.core.ZmqSocket;
import io.github.zmqboot.internal.engine.SocketBean;
import io.github.zmqboot.internal.engine.ManagedSocket;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMsg;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static io.github.zmqboot.actuate.ActuatorHttp.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The traffic meters of a socket bean are counters: they never go down. A REQ socket whose request timed out is
 * replaced by a fresh engine socket (the "lazy pirate" way); its {@code zmq.messages.*} and {@code zmq.bytes.*}
 * meters must keep counting from where they were, not start again at 0.
 */
class ZmqSocketMetersAfterReplacementTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ZmqAutoConfiguration.class, ZmqMetricsAutoConfiguration.class))
        .withBean(SimpleMeterRegistry.class)
        .withPropertyValues("zmq.sockets.asker.type=REQ", "zmq.sockets.asker.linger=0");

    @Test
    void aReqSocketReplacedAfterATimedOutRequestKeepsItsCounts() {
        this.runner.run(context -> {
            ZmqSocket asker = context.getBean("asker", ZmqSocket.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            try (ZContext clients = new ZContext(1)) {
                ZMQ.Socket router = clients.createSocket(SocketType.ROUTER);
                router.setReceiveTimeOut((int) TIMEOUT.toMillis());
                router.setLinger(0);
                int port = router.bindToRandomPort("tcp://127.0.0.1");
                asker.connect("tcp://127.0.0.1:" + port);

                CompletableFuture<String> answered = CompletableFuture
                    .supplyAsync(() -> asker.convertSendAndReceive("first", String.class, TIMEOUT));
                ZMsg first = ZMsg.recvMsg(router);
                assertThat(first).as("the first request within %s", TIMEOUT).isNotNull();
                ZMsg reply = new ZMsg();
                reply.add(first.getFirst().getData());
                reply.add(new byte[0]);
                reply.add("answer".getBytes(StandardCharsets.UTF_8));
                assertThat(reply.send(router)).isTrue();
                assertThat(answered.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("answer");
                assertThat(count(registry, "zmq.messages.sent")).isEqualTo(1);
                assertThat(count(registry, "zmq.messages.received")).isEqualTo(1);

                // never answered: the exchange times out and the socket is replaces the REQ socket
                ManagedSocket before = ((SocketBean) asker).managedSocket();
                assertThat(asker.convertSendAndReceive("second", String.class, Duration.ofSeconds(1))).isNull();
                assertThat(ZMsg.recvMsg(router)).as("the second request left").isNotNull();
                await().atMost(TIMEOUT).until(() -> ((SocketBean) asker).managedSocket() != before);

                assertThat(count(registry, "zmq.messages.sent")).as("messages sent, across the replacement")
                    .isEqualTo(2);
                assertThat(count(registry, "zmq.messages.received")).as("messages received, across the replacement")
                    .isEqualTo(1);
            }
        });
    }

    private static double count(MeterRegistry registry, String meter) {
        System.gc();
        return registry.get(meter).tag("socket", "asker").functionCounter().count();
    }
}
