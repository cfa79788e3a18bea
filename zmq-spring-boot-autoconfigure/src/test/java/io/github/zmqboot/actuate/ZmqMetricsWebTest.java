package io.github.zmqboot.actuate;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.zmqboot.annotation.ZmqListener;
import io.github.zmqboot.core.ProxyStatistics;
import io.github.zmqboot.core.ZmqPeer;
import io.github.zmqboot.core.ZmqProxy;
import io.github.zmqboot.listener.ZmqListenerContainer;
import io.github.zmqboot.listener.ZmqListenerEndpointRegistry;
import io.github.zmqboot.testing.QuietOutputCaptureExtension;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.annotation.DirtiesContext;

import static io.github.zmqboot.actuate.ActuatorHttp.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Meter values after a known traffic pattern, read from {@code /actuator/metrics} of a real web server (and the
 * {@link MeterRegistry} bean): exact message and byte counts of a sending and a receiving peer, of a peer read by a
 * {@code @ZmqListener}, the listener's invocation timer per outcome after a handler that fails on some messages, and
 * the {@code zmq.proxy.messages}/{@code zmq.proxy.bytes} counters of a ROUTER-DEALER proxy after request-reply
 * rounds from a REQ client with a known routing id to a REP worker (every part counts, as in STATISTICS). Each test
 * has peers of its own, so exact values hold whatever ran before.
 */
@ExtendWith(QuietOutputCaptureExtension.class)
@SpringBootTest(classes = ZmqMetricsWebTest.App.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=health,zmq,metrics",
        "management.endpoint.health.show-details=always",
        "zmq.peers.alice.bind[0]=tcp://127.0.0.1:0", "zmq.peers.alice.linger=0", "zmq.peers.bob.linger=0",
        "zmq.peers.carol.bind[0]=tcp://127.0.0.1:0", "zmq.peers.carol.linger=0", "zmq.peers.dave.linger=0",
        "zmq.proxies.broker.type=router-dealer", "zmq.proxies.broker.frontend.bind[0]=tcp://127.0.0.1:0",
        "zmq.proxies.broker.backend.bind[0]=tcp://127.0.0.1:0" })
@DirtiesContext
class ZmqMetricsWebTest {

    @LocalServerPort
    private int port;

    @Autowired
    @Qualifier("alice")
    private ZmqPeer alice;

    @Autowired
    @Qualifier("bob")
    private ZmqPeer bob;

    @Autowired
    @Qualifier("carol")
    private ZmqPeer carol;

    @Autowired
    @Qualifier("dave")
    private ZmqPeer dave;

    @Autowired
    @Qualifier("broker")
    private ZmqProxy broker;

    @Autowired
    private ZmqListenerEndpointRegistry registry;

    @Autowired
    private MeterRegistry meterRegistry;

    private ActuatorHttp http;

    @BeforeEach
    void client() {
        this.http = new ActuatorHttp(this.port);
    }

    @Test
    void peersCountExactlyTheMessagesAndBytesTheySentAndReceived() {
        int aliceId = this.bob.connect(this.alice.boundEndpoints().get(0));
        int messages = 5;
        long bytes = 0;
        for (int size = 1; size <= messages; size++) {
            byte[] payload = new byte[size * 10];
            Arrays.fill(payload, (byte) ('a' + size));
            bytes += payload.length;
            this.bob.send(aliceId, payload);
        }
        for (int i = 1; i <= messages; i++) {
            ZmqPeer.Received received = this.alice.receive(TIMEOUT);
            assertThat(received).as("message %d within %s", i, TIMEOUT).isNotNull();
            assertThat(received.payload()).hasSize(i * 10);
        }

        assertThat(count("zmq.messages.sent", "socket:bob")).isEqualTo(messages);
        assertThat(count("zmq.bytes.sent", "socket:bob")).isEqualTo(bytes);
        assertThat(count("zmq.messages.received", "socket:alice")).isEqualTo(messages);
        assertThat(count("zmq.bytes.received", "socket:alice")).isEqualTo(bytes);
        assertThat(count("zmq.messages.received", "socket:bob")).isZero();
        assertThat(count("zmq.messages.sent", "socket:alice")).isZero();
        assertThat(this.meterRegistry.get("zmq.bytes.received").tag("socket", "alice").functionCounter().count())
            .isEqualTo(bytes);
        this.bob.disconnect(aliceId);
    }

    @Test
    void listenerInvocationsPerOutcomeAndTheListenedPeersTrafficMatchTheContainersCounts() {
        int carolId = this.dave.connect(this.carol.boundEndpoints().get(0));
        String[] payloads = { "ok-1", "fail-2", "ok-3", "ok-4", "fail-5", "ok-6", "ok-7" };
        long bytes = 0;
        for (String payload : payloads) {
            this.dave.send(carolId, payload);
            bytes += payload.getBytes(StandardCharsets.UTF_8).length;
        }
        ZmqListenerContainer counting = this.registry.getListenerContainer("counting");
        await().atMost(TIMEOUT).until(() -> counting.handled() + counting.failed() == payloads.length);
        assertThat(counting.handled()).isEqualTo(5);
        assertThat(counting.failed()).isEqualTo(2);

        assertThat(this.http.measurement("zmq.listener.invocations", "COUNT", "id:counting", "outcome:success"))
            .isEqualTo(5);
        assertThat(this.http.measurement("zmq.listener.invocations", "COUNT", "id:counting", "outcome:failure"))
            .isEqualTo(2);
        assertThat(this.http.measurement("zmq.listener.invocations", "TOTAL_TIME", "id:counting", "outcome:success"))
            .isPositive();
        FunctionTimer success = this.meterRegistry.get("zmq.listener.invocations")
            .tags("id", "counting", "outcome", "success")
            .functionTimer();
        assertThat(success.count()).isEqualTo(counting.handled());

        assertThat(count("zmq.messages.received", "socket:carol")).isEqualTo(payloads.length);
        assertThat(count("zmq.bytes.received", "socket:carol")).isEqualTo(bytes);
        assertThat(count("zmq.messages.sent", "socket:dave")).isEqualTo(payloads.length);
        assertThat(count("zmq.bytes.sent", "socket:dave")).isEqualTo(bytes);
        assertThat(count("zmq.messages.sent", "socket:carol")).as("the handler answers nothing").isZero();
        this.dave.disconnect(carolId);
    }

    @Test
    void proxyMetersEqualTheProxysStatisticsAfterRequestReplyRounds() {
        byte[] identity = "client-1".getBytes(StandardCharsets.UTF_8);
        byte[] request = "request".getBytes(StandardCharsets.UTF_8);
        byte[] reply = "reply".getBytes(StandardCharsets.UTF_8);
        int rounds = 3;
        try (ZContext clients = new ZContext(1)) {
            ZMQ.Socket client = socket(clients, SocketType.REQ);
            client.setIdentity(identity);
            assertThat(client.connect(this.broker.frontendEndpoints().get(0))).isTrue();
            ZMQ.Socket worker = socket(clients, SocketType.REP);
            assertThat(worker.connect(this.broker.backendEndpoints().get(0))).isTrue();
            for (int round = 0; round < rounds; round++) {
                assertThat(client.send(request)).isTrue();
                assertThat(worker.recv()).as("the request within %s", TIMEOUT).isEqualTo(request);
                assertThat(worker.send(reply)).isTrue();
                assertThat(client.recv()).as("the reply within %s", TIMEOUT).isEqualTo(reply);
            }
        }
        // each request: identity, empty delimiter, payload; each reply the same envelope around its payload
        long requestBytes = rounds * (identity.length + request.length);
        long replyBytes = rounds * (identity.length + reply.length);
        ProxyStatistics expected = new ProxyStatistics(3L * rounds, requestBytes, 3L * rounds, replyBytes,
                3L * rounds, replyBytes, 3L * rounds, requestBytes);
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(this.broker.statistics()).isEqualTo(expected));

        Map<String, Double> meters = new LinkedHashMap<>();
        Map<String, Long> statistics = new LinkedHashMap<>();
        ProxyStatistics actual = this.broker.statistics();
        for (String side : new String[] { "frontend", "backend" }) {
            for (String direction : new String[] { "in", "out" }) {
                String key = side + "/" + direction;
                meters.put(key + " messages", this.http.measurement("zmq.proxy.messages", "COUNT", "proxy:broker",
                        "side:" + side, "direction:" + direction));
                meters.put(key + " bytes", this.http.measurement("zmq.proxy.bytes", "COUNT", "proxy:broker",
                        "side:" + side, "direction:" + direction));
            }
        }
        statistics.put("frontend/in messages", actual.frontendMessagesIn());
        statistics.put("frontend/in bytes", actual.frontendBytesIn());
        statistics.put("frontend/out messages", actual.frontendMessagesOut());
        statistics.put("frontend/out bytes", actual.frontendBytesOut());
        statistics.put("backend/in messages", actual.backendMessagesIn());
        statistics.put("backend/in bytes", actual.backendBytesIn());
        statistics.put("backend/out messages", actual.backendMessagesOut());
        statistics.put("backend/out bytes", actual.backendBytesOut());
        Map<String, Double> expectedMeters = new LinkedHashMap<>();
        statistics.forEach((key, value) -> expectedMeters.put(key, value.doubleValue()));
        assertThat(meters).isEqualTo(expectedMeters);
        assertThat(meters.get("frontend/in messages")).isEqualTo(9.0);
        for (String side : new String[] { "frontend", "backend" }) {
            for (String reason : new String[] { "full", "unreachable" }) {
                assertThat(this.http.measurement("zmq.proxy.dropped", "COUNT", "proxy:broker", "side:" + side,
                        "reason:" + reason)).as("dropped at %s, %s", side, reason).isZero();
            }
        }
    }

    /**
     * A meter's count. A function meter holds its state weakly; a garbage collection first makes sure the meters
     * read what the sockets counted, not a value left over from a collected state object.
     */
    private long count(String meter, String... tags) {
        System.gc();
        double value = this.http.measurement(meter, "COUNT", tags);
        assertThat(value).as("%s is a whole number", meter).isEqualTo(Math.rint(value));
        return (long) value;
    }

    private static ZMQ.Socket socket(ZContext context, SocketType type) {
        ZMQ.Socket socket = context.createSocket(type);
        socket.setReceiveTimeOut((int) TIMEOUT.toMillis());
        socket.setSendTimeOut((int) TIMEOUT.toMillis());
        socket.setLinger(0);
        return socket;
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean
        Counting counting() {
            return new Counting();
        }
    }

    static class Counting {

        @ZmqListener(id = "counting", peer = "carol")
        void handle(String text) {
            if (text.startsWith("fail")) {
                throw new IllegalArgumentException("failing on purpose: " + text);
            }
        }
    }
}
