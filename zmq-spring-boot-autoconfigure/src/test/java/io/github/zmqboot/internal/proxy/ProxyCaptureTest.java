package io.github.zmqboot.internal.proxy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.zmqboot.autoconfigure.ZmqAutoConfiguration;
import io.github.zmqboot.core.ZmqProxy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static io.github.zmqboot.internal.proxy.TestClients.receiveStrings;
import static io.github.zmqboot.internal.proxy.TestClients.send;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The capture socket gets a copy of every message of both directions, every part of it, in the order the proxy
 * forwarded them, for each capture type {@code zmq_proxy(3)} names.
 */
class ProxyCaptureTest {

    private static final int REQUESTS = 25;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ZmqAutoConfiguration.class));

    @ParameterizedTest(name = "{0} capture read by {1}")
    @CsvSource({ "PUSH, PULL", "PAIR, PAIR", "DEALER, DEALER", "PUB, SUB" })
    void captureReceivesEveryMessageOfBothDirections(SocketType captureType, SocketType readerType) {
        this.runner.withPropertyValues("zmq.proxies.broker.type=router-dealer",
                "zmq.proxies.broker.frontend.bind[0]=tcp://127.0.0.1:0",
                "zmq.proxies.broker.backend.bind[0]=tcp://127.0.0.1:0",
                "zmq.proxies.broker.capture.type=" + captureType,
                "zmq.proxies.broker.capture.bind[0]=tcp://127.0.0.1:0")
            .run(context -> {
                DefaultZmqProxy broker = context.getBean("broker", DefaultZmqProxy.class);
                assertThat(broker.state()).isEqualTo(ZmqProxy.State.RUNNING);
                try (TestClients clients = new TestClients()) {
                    ZMQ.Socket tap = clients.connect(readerType, broker.captureEndpoints().get(0));
                    if (readerType == SocketType.SUB) {
                        tap.subscribe(new byte[0]);
                    }
                    clients.worker("echo", SocketType.REP, broker.backendEndpoints().get(0), request -> "re:" + request);
                    ZMQ.Socket client = clients.create(SocketType.REQ);
                    client.setIdentity("client-1".getBytes());
                    client.connect(broker.frontendEndpoints().get(0));

                    if (readerType == SocketType.SUB) {
                        // a subscription propagates asynchronously: probe until the tap sees the capture traffic
                        awaitProbeOnTap(client, tap);
                    }
                    for (int i = 0; i < REQUESTS; i++) {
                        send(client, "request-" + i);
                        assertThat(receiveStrings(client)).containsExactly("re:request-" + i);
                    }

                    List<List<String>> captured = new ArrayList<>();
                    while (captured.size() < 2 * REQUESTS) {
                        List<String> copy = receiveStrings(tap);
                        if (!copy.get(copy.size() - 1).contains("probe")) {
                            captured.add(copy);
                        }
                    }
                    for (int i = 0; i < REQUESTS; i++) {
                        assertThat(captured.get(2 * i)).as("request %d as the frontend received it", i)
                            .containsExactly("client-1", "", "request-" + i);
                        assertThat(captured.get(2 * i + 1)).as("reply %d as the backend received it", i)
                            .containsExactly("client-1", "", "re:request-" + i);
                    }
                    assertThat(TestClients.arrivesWithin(tap, Duration.ofMillis(300))).isFalse();
                }
            });
    }

    private static void awaitProbeOnTap(ZMQ.Socket client, ZMQ.Socket tap) {
        for (int i = 0; !TestClients.arrivesWithin(tap, Duration.ofMillis(200)); i++) {
            assertThat(i).as("probes until the capture subscriber receives").isLessThan(75);
            send(client, "probe-" + i);
            receiveStrings(client);
        }
    }
}
