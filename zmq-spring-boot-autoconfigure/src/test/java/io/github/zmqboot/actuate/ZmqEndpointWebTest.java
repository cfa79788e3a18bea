package io.github.zmqboot.actuate;

import java.util.ArrayList;
import java.util.List;

import io.github.zmqboot.actuate.ActuatorHttp.Response;
import io.github.zmqboot.core.ZmqPeer;
import io.github.zmqboot.core.ZmqProxy;
import io.github.zmqboot.listener.ZmqListenerContainer;
import io.github.zmqboot.listener.ZmqListenerEndpointRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static io.github.zmqboot.actuate.ActuatorHttp.strings;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code zmq} actuator endpoint over a real web server: the JSON shape of {@code GET /actuator/zmq} (peers with
 * endpoints and connections keyed by routing id, sockets with type and endpoints, proxies with type, state, endpoints
 * and the eight STATISTICS counters, listeners with socket, running, handled and failed); every
 * {@code POST /actuator/zmq/{proxies|listeners}/{name}} command takes effect on the bean and answers 200 with JSON;
 * an unknown name or kind answers 404 and an unknown command 400, each with a message. The starter has no CURVE
 * keys yet, so the secrecy check configures a distinctive non-endpoint property value (a socket's routing id) and
 * asserts that it appears in no answer.
 */
@SpringBootTest(classes = ChatApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=health,zmq,metrics", "management.endpoint.zmq.access=unrestricted",
        "management.endpoint.health.show-details=always",
        "zmq.peers.alice.bind[0]=tcp://127.0.0.1:0", "zmq.peers.alice.linger=0", "zmq.peers.bob.linger=0",
        "zmq.sockets.ticks.type=SUB", "zmq.sockets.ticks.subscribe[0]=prices.",
        "zmq.sockets.backoffice.type=DEALER", "zmq.sockets.backoffice.bind[0]=tcp://127.0.0.1:0",
        "zmq.sockets.backoffice.routing-id=" + ZmqEndpointWebTest.PRIVATE_VALUE,
        "zmq.proxies.broker.type=router-dealer", "zmq.proxies.broker.frontend.bind[0]=tcp://127.0.0.1:0",
        "zmq.proxies.broker.backend.bind[0]=tcp://127.0.0.1:0" })
@DirtiesContext
class ZmqEndpointWebTest {

    /** A configured value that is no endpoint: it must never show in any answer. */
    static final String PRIVATE_VALUE = "opaque-7f3c9a1e-routing";

    private static final List<String> COUNTERS = List.of("frontendMessagesIn", "frontendBytesIn",
            "frontendMessagesOut", "frontendBytesOut", "backendMessagesIn", "backendBytesIn", "backendMessagesOut",
            "backendBytesOut");

    @LocalServerPort
    private int port;

    @Autowired
    @Qualifier("broker")
    private ZmqProxy broker;

    @Autowired
    @Qualifier("alice")
    private ZmqPeer alice;

    @Autowired
    @Qualifier("bob")
    private ZmqPeer bob;

    @Autowired
    private ZmqListenerEndpointRegistry registry;

    private ActuatorHttp http;

    private final List<Response> answers = new ArrayList<>();

    @BeforeEach
    void client() {
        this.http = new ActuatorHttp(this.port);
    }

    @AfterEach
    void restoreAndCheckSecrecy() {
        if (this.broker.state() == ZmqProxy.State.PAUSED) {
            this.broker.resume();
        }
        if (this.broker.state() != ZmqProxy.State.RUNNING) {
            this.broker.start();
        }
        chat().start();
        this.answers.add(this.http.get("/actuator/health/zmq"));
        for (Response answer : this.answers) {
            assertThat(answer.body()).as("no configured value but endpoints is shown").doesNotContain(PRIVATE_VALUE);
        }
    }

    @Test
    void getShowsPeersSocketsProxiesAndListenersInTheContractShape() {
        String aliceEndpoint = this.alice.boundEndpoints().get(0);
        int aliceId = this.bob.connect(aliceEndpoint);
        try {
            Response response = get("/actuator/zmq");
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            assertThat(response.contentType()).contains("json");
            JsonNode zmq = response.json();
            assertThat(zmq.propertyNames()).contains("peers", "sockets", "proxies", "listeners");

            JsonNode peers = zmq.path("peers");
            assertThat(peers.propertyNames()).containsExactlyInAnyOrder("alice", "bob");
            assertThat(strings(peers.path("alice").path("endpoints"))).containsExactly(aliceEndpoint);
            assertThat(peers.path("alice").path("connections").isObject()).isTrue();
            assertThat(peers.path("alice").path("connections").size()).isZero();
            assertThat(strings(peers.path("bob").path("endpoints"))).isEmpty();
            JsonNode connections = peers.path("bob").path("connections");
            assertThat(connections.propertyNames()).containsExactly(String.valueOf(aliceId));
            assertThat(connections.path(String.valueOf(aliceId)).asString()).isEqualTo(aliceEndpoint);

            JsonNode sockets = zmq.path("sockets");
            assertThat(sockets.propertyNames()).containsExactlyInAnyOrder("ticks", "backoffice");
            assertThat(sockets.path("ticks").path("type").asString()).isEqualTo("SUB");
            assertThat(sockets.path("ticks").path("endpoints").isArray()).isTrue();
            assertThat(strings(sockets.path("ticks").path("endpoints"))).isEmpty();
            assertThat(sockets.path("backoffice").path("type").asString()).isEqualTo("DEALER");
            assertThat(strings(sockets.path("backoffice").path("endpoints"))).hasSize(1)
                .allSatisfy(endpoint -> assertThat(endpoint).startsWith("tcp://127.0.0.1:").doesNotEndWith(":0"));

            JsonNode broker = zmq.path("proxies").path("broker");
            assertThat(broker.path("type").asString()).isEqualTo("router-dealer");
            assertThat(broker.path("state").asString()).isEqualTo("RUNNING");
            assertThat(strings(broker.path("frontendEndpoints"))).isEqualTo(this.broker.frontendEndpoints())
                .hasSize(1);
            assertThat(strings(broker.path("backendEndpoints"))).isEqualTo(this.broker.backendEndpoints()).hasSize(1);
            assertThat(broker.path("statistics").propertyNames()).containsExactlyInAnyOrderElementsOf(COUNTERS);
            for (String counter : COUNTERS) {
                assertThat(broker.path("statistics").path(counter).isNumber()).as(counter).isTrue();
                assertThat(broker.path("statistics").path(counter).longValue()).as(counter).isZero();
            }

            JsonNode chat = zmq.path("listeners").path("chat");
            assertThat(chat.path("socket").asString()).isEqualTo("alice");
            assertThat(chat.path("running").isBoolean()).isTrue();
            assertThat(chat.path("running").booleanValue()).isTrue();
            assertThat(chat.path("handled").isNumber()).isTrue();
            assertThat(chat.path("failed").isNumber()).isTrue();
            assertThat(chat.path("handled").longValue()).isEqualTo(chat().handled());
            assertThat(chat.path("failed").longValue()).isEqualTo(chat().failed());
        }
        finally {
            this.bob.disconnect(aliceId);
        }
    }

    @Test
    void proxyCommandsTakeEffectAndAnswerTheNewState() {
        Response pause = command("/actuator/zmq/proxies/broker", "PAUSE");
        assertThat(pause.status()).as(pause.body()).isEqualTo(200);
        assertThat(pause.contentType()).contains("json");
        assertThat(this.broker.state()).isEqualTo(ZmqProxy.State.PAUSED);
        assertThat(pause.json().path("state").asString()).isEqualTo("PAUSED");
        assertThat(get("/actuator/zmq").json().path("proxies").path("broker").path("state").asString())
            .isEqualTo("PAUSED");

        Response resume = command("/actuator/zmq/proxies/broker", "RESUME");
        assertThat(resume.status()).as(resume.body()).isEqualTo(200);
        assertThat(this.broker.state()).isEqualTo(ZmqProxy.State.RUNNING);
        assertThat(resume.json().path("state").asString()).isEqualTo("RUNNING");

        Response terminate = command("/actuator/zmq/proxies/broker", "TERMINATE");
        assertThat(terminate.status()).as(terminate.body()).isEqualTo(200);
        assertThat(this.broker.state()).isEqualTo(ZmqProxy.State.TERMINATED);
        assertThat(terminate.json().path("state").asString()).isEqualTo("TERMINATED");
        assertThat(strings(terminate.json().path("frontendEndpoints"))).isEmpty();
        assertThat(this.broker.frontendEndpoints()).isEmpty();

        Response start = command("/actuator/zmq/proxies/broker", "START");
        assertThat(start.status()).as(start.body()).isEqualTo(200);
        assertThat(this.broker.state()).isEqualTo(ZmqProxy.State.RUNNING);
        assertThat(start.json().path("state").asString()).isEqualTo("RUNNING");
        assertThat(strings(start.json().path("frontendEndpoints"))).isEqualTo(this.broker.frontendEndpoints())
            .hasSize(1);
    }

    @Test
    void listenerCommandsTakeEffectAndAnswerTheNewState() {
        Response stop = command("/actuator/zmq/listeners/chat", "STOP");
        assertThat(stop.status()).as(stop.body()).isEqualTo(200);
        assertThat(stop.contentType()).contains("json");
        assertThat(chat().isRunning()).isFalse();
        assertThat(stop.json().path("running").booleanValue()).isFalse();
        assertThat(stop.json().path("socket").asString()).isEqualTo("alice");
        assertThat(get("/actuator/zmq").json().path("listeners").path("chat").path("running").booleanValue())
            .isFalse();

        Response start = command("/actuator/zmq/listeners/chat", "START");
        assertThat(start.status()).as(start.body()).isEqualTo(200);
        assertThat(chat().isRunning()).isTrue();
        assertThat(start.json().path("running").booleanValue()).isTrue();
    }

    @Test
    void unknownNamesAndKindsAnswer404WithAMessage() {
        Response proxy = command("/actuator/zmq/proxies/nosuchproxy", "PAUSE");
        assertThat(proxy.status()).as(proxy.body()).isEqualTo(404);
        assertThat(proxy.json().path("message").asString()).contains("nosuchproxy");

        Response listener = command("/actuator/zmq/listeners/nosuchlistener", "STOP");
        assertThat(listener.status()).as(listener.body()).isEqualTo(404);
        assertThat(listener.json().path("message").asString()).contains("nosuchlistener");

        Response kind = command("/actuator/zmq/bogus/x", "START");
        assertThat(kind.status()).as(kind.body()).isEqualTo(404);
        assertThat(kind.json().path("message").asString()).contains("bogus");

        assertThat(this.broker.state()).isEqualTo(ZmqProxy.State.RUNNING);
        assertThat(chat().isRunning()).isTrue();
    }

    @Test
    void unknownCommandsAnswer400WithAMessageAndChangeNothing() {
        Response proxy = command("/actuator/zmq/proxies/broker", "EXPLODE");
        assertThat(proxy.status()).as(proxy.body()).isEqualTo(400);
        assertThat(proxy.json().path("message").asString()).contains("EXPLODE");
        assertThat(this.broker.state()).isEqualTo(ZmqProxy.State.RUNNING);

        Response listener = command("/actuator/zmq/listeners/chat", "EXPLODE");
        assertThat(listener.status()).as(listener.body()).isEqualTo(400);
        assertThat(listener.json().path("message").asString()).contains("EXPLODE");
        assertThat(chat().isRunning()).isTrue();

        Response missing = post("/actuator/zmq/proxies/broker", "{}");
        assertThat(missing.status()).as("no command at all: %s", missing.body()).isEqualTo(400);
        assertThat(this.broker.state()).isEqualTo(ZmqProxy.State.RUNNING);
    }

    @Test
    void pausingATerminatedProxyAnswers400WithAMessage() {
        this.broker.terminate();
        Response pause = command("/actuator/zmq/proxies/broker", "PAUSE");
        assertThat(pause.status()).as(pause.body()).isEqualTo(400);
        assertThat(pause.json().path("message").asString()).isNotBlank();
        assertThat(this.broker.state()).isEqualTo(ZmqProxy.State.TERMINATED);
    }

    private Response get(String path) {
        Response response = this.http.get(path);
        this.answers.add(response);
        return response;
    }

    private Response command(String path, String command) {
        Response response = this.http.command(path, command);
        this.answers.add(response);
        return response;
    }

    private Response post(String path, String body) {
        Response response = this.http.post(path, body);
        this.answers.add(response);
        return response;
    }

    private ZmqListenerContainer chat() {
        ZmqListenerContainer container = this.registry.getListenerContainer("chat");
        assertThat(container).as("listener 'chat'").isNotNull();
        return container;
    }

}
