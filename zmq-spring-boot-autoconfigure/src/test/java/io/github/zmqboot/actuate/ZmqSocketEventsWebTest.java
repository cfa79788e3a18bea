package io.github.zmqboot.actuate;

import java.nio.charset.StandardCharsets;

import io.github.zmqboot.actuate.ActuatorHttp.Response;
import io.github.zmqboot.core.ZmqPeer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.annotation.DirtiesContext;

import static io.github.zmqboot.actuate.ActuatorHttp.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Socket events over a real web server: a peer connects to another peer's tcp endpoint ({@code CONNECTED} on the
 * connecting side, {@code ACCEPTED} on the bound side), then closes ({@code DISCONNECTED} on the bound side);
 * each shows as the peer's {@code lastEvent} in {@code GET /actuator/zmq} and the health details, and counts in
 * {@code zmq.socket.events} (tags {@code socket}, {@code event}).
 */
@SpringBootTest(classes = ZmqSocketEventsWebTest.App.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=health,zmq,metrics",
        "management.endpoint.health.show-details=always",
        "zmq.peers.alice.bind[0]=tcp://127.0.0.1:0", "zmq.peers.alice.linger=0", "zmq.peers.bob.linger=0" })
@DirtiesContext
class ZmqSocketEventsWebTest {

    @LocalServerPort
    private int port;

    @Autowired
    @Qualifier("alice")
    private ZmqPeer alice;

    @Autowired
    @Qualifier("bob")
    private ZmqPeer bob;

    private ActuatorHttp http;

    @BeforeEach
    void client() {
        this.http = new ActuatorHttp(this.port);
    }

    @Test
    void connectAndCloseShowAsLastEventAndCountInTheEventsCounter() {
        String aliceEndpoint = this.alice.boundEndpoints().get(0);
        assertThat(lastEvent("alice").isMissingNode()).as("no connection yet: %s", lastEvent("alice")).isTrue();

        int aliceId = this.bob.connect(aliceEndpoint);
        this.bob.send(aliceId, "hello");
        ZmqPeer.Received hello = this.alice.receive(TIMEOUT);
        assertThat(hello).as("a message over the new connection within %s", TIMEOUT).isNotNull();
        assertThat(new String(hello.payload(), StandardCharsets.UTF_8)).isEqualTo("hello");

        await().atMost(TIMEOUT).untilAsserted(() -> {
            JsonNode accepted = lastEvent("alice");
            assertThat(accepted.path("event").asString()).as("alice: %s", accepted).isEqualTo("ACCEPTED");
            assertThat(accepted.path("endpoint").asString()).isEqualTo(aliceEndpoint);
            assertThat(accepted.path("time").asString()).isNotBlank();
            JsonNode connected = lastEvent("bob");
            assertThat(connected.path("event").asString()).as("bob: %s", connected).isEqualTo("CONNECTED");
            assertThat(connected.path("endpoint").asString()).isEqualTo(aliceEndpoint);
        });
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(events("alice", "accepted")).isGreaterThanOrEqualTo(1);
            assertThat(events("bob", "connected")).isGreaterThanOrEqualTo(1);
        });
        double disconnectsBefore = eventsOrZero("alice", "disconnected");
        Response health = this.http.get("/actuator/health/zmq");
        assertThat(health.json().path("details").path("peers").path("alice").path("lastEvent").path("event")
            .asString()).as(health.body()).isEqualTo("ACCEPTED");

        this.bob.close();
        await().atMost(TIMEOUT).untilAsserted(() -> {
            JsonNode disconnected = lastEvent("alice");
            assertThat(disconnected.path("event").asString()).as("alice: %s", disconnected)
                .isEqualTo("DISCONNECTED");
            assertThat(disconnected.path("endpoint").asString()).isEqualTo(aliceEndpoint);
        });
        await().atMost(TIMEOUT)
            .untilAsserted(() -> assertThat(events("alice", "disconnected")).isGreaterThan(disconnectsBefore));
        Response after = this.http.get("/actuator/health/zmq");
        assertThat(after.json().path("details").path("peers").path("alice").path("lastEvent").path("event")
            .asString()).as(after.body()).isEqualTo("DISCONNECTED");
    }

    private JsonNode lastEvent(String peer) {
        Response response = this.http.get("/actuator/zmq");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().path("peers").path(peer).path("lastEvent");
    }

    private double events(String socket, String event) {
        return this.http.measurement("zmq.socket.events", "COUNT", "socket:" + socket, "event:" + event);
    }

    /** The counter's value, or 0 while the counter does not exist yet (it appears with its first event). */
    private double eventsOrZero(String socket, String event) {
        Response response = this.http
            .get("/actuator/metrics/zmq.socket.events?tag=socket:" + socket + "&tag=event:" + event);
        return response.status() == 404 ? 0 : events(socket, event);
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

    }
}
