package io.github.zmqboot.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.github.zmqboot.core.ZmqPeer;
import io.github.zmqboot.core.ZmqSocket;
import io.github.zmqboot.listener.ZmqListenerEndpointRegistry;
import io.github.zmqboot.sample.capture.BrokerTap;
import io.github.zmqboot.sample.orders.OrderReceipt;
import io.github.zmqboot.sample.orders.OrderRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole tour in-process, on free ports (every {@code sample.ports.*} entry and the HTTP port are moved):
 * bob's chat is answered, the broker carries orders to the workers and back, prices reach the ticker, the tap
 * counts the broker's copies, and the actuator shows it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "sample.instance=test", "sample.traffic.interval=200ms" })
@ExtendWith(OutputCaptureExtension.class)
class ZmqSampleApplicationTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private static final FreePorts PORTS = FreePorts.find();

    @DynamicPropertySource
    static void ports(DynamicPropertyRegistry registry) {
        PORTS.zmq.forEach((name, port) -> registry.add("sample.ports." + name, () -> port));
    }

    @LocalServerPort
    private int httpPort;

    @Autowired
    @Qualifier("alice")
    private ZmqPeer alice;

    @Autowired
    @Qualifier("bob")
    private ZmqPeer bob;

    @Autowired
    @Qualifier("order-client")
    private ZmqSocket orderClient;

    @Autowired
    private ZmqListenerEndpointRegistry listeners;

    @Autowired
    private BrokerTap tap;

    @Test
    void bobKnowsAlicesRoutingIdFromTheConnectListAndHerAnswersArrive(CapturedOutput output) {
        String aliceEndpoint = "tcp://127.0.0.1:" + PORTS.port("alice");
        assertThat(this.alice.boundEndpoints()).containsExactly(aliceEndpoint);
        assertThat(this.bob.connections()).hasSize(1).containsValue(aliceEndpoint);
        assertThat(this.bob.connections().keySet()).allMatch(routingId -> routingId != 0);

        long answered = this.listeners.getListenerContainer("bob-inbox").handled();
        await().atMost(PATIENCE).until(() -> this.listeners.getListenerContainer("bob-inbox").handled() >= answered + 3);
        await().atMost(PATIENCE).until(() -> output.getOut().contains("bob <- alice at " + aliceEndpoint
                + ": 'alice@test heard 'hello #"));
    }

    @Test
    void theBrokerCarriesAnOrderToAWorkerAndTheReceiptBack(CapturedOutput output) {
        OrderReceipt receipt = this.orderClient.convertSendAndReceive(new OrderRequest("test-widget", 42),
                OrderReceipt.class, PATIENCE);
        assertThat(receipt).isNotNull();
        assertThat(receipt.item()).isEqualTo("test-widget");
        assertThat(receipt.quantity()).isEqualTo(42);
        assertThat(receipt.orderNumber()).isPositive();
        assertThat(receipt.worker()).isIn("order-worker-1", "order-worker-2");
        await().atMost(PATIENCE).until(() -> output.getOut().contains("order client got receipt #"));
        // both workers take orders: the broker shares them
        await().atMost(PATIENCE).until(() -> this.listeners.getListenerContainer("order-worker-1").handled() > 0
                && this.listeners.getListenerContainer("order-worker-2").handled() > 0);
        await().atMost(PATIENCE).until(() -> this.tap.copies() >= 2);
    }

    @Test
    void pricesGoThroughTheForwarderToTheTicker(CapturedOutput output) {
        await().atMost(PATIENCE).until(() -> output.getOut().contains("price ticker [prices.ACME]: ACME is at ")
                && output.getOut().contains("price ticker [prices.GLOBEX]: GLOBEX is at "));
    }

    @Test
    void theActuatorShowsHealthAndEveryPart() throws Exception {
        JsonNode health = get("/actuator/health/zmq");
        assertThat(health.path("status").asString()).isEqualTo("UP");
        JsonNode zmq = get("/actuator/zmq");
        assertThat(zmq.path("peers").propertyNames()).contains("alice", "bob");
        assertThat(zmq.path("sockets").propertyNames()).contains("order-worker-1", "order-worker-2",
                "order-client", "price-publisher", "price-ticker", "broker-tap");
        assertThat(zmq.path("proxies").path("broker").path("state").asString()).isEqualTo("RUNNING");
        assertThat(zmq.path("proxies").path("prices").path("type").asString()).isEqualTo("xsub-xpub");
        assertThat(zmq.path("listeners").propertyNames()).contains("alice-chat", "bob-inbox", "order-worker-1",
                "order-worker-2", "price-ticker", "broker-tap");
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.httpPort + path))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return JsonMapper.builder().build().readTree(response.body());
    }
}
