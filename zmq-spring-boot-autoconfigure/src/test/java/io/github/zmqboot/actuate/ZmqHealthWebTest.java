package io.github.zmqboot.actuate;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;

import io.github.zmqboot.actuate.ActuatorHttp.Response;
import io.github.zmqboot.annotation.ZmqListener;
import io.github.zmqboot.internal.context.ZmqContextManager;
import io.github.zmqboot.core.ZmqPeer;
import io.github.zmqboot.core.ZmqProxy;
import io.github.zmqboot.listener.ZmqListenerContainer;
import io.github.zmqboot.listener.ZmqListenerEndpointRegistry;
import io.github.zmqboot.testing.QuietOutputCaptureExtension;
import io.github.zmqboot.testing.ReservedPort;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.github.zmqboot.actuate.ActuatorHttp.TIMEOUT;
import static io.github.zmqboot.actuate.ActuatorHttp.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatRuntimeException;
import static org.awaitility.Awaitility.await;

/**
 * The {@code zmq} health contributor over a real web server: {@code UP} at start, {@code OUT_OF_SERVICE} while an
 * operator paused a proxy (through the bean or {@code POST /actuator/zmq/proxies/{name}}), terminated an
 * auto-startup proxy or stopped an auto-startup listener, {@code UP} again once undone, {@code DOWN} for a proxy that
 * {@code FAILED} (a real bind onto a port a plain server socket holds), for a listener whose socket closed under it,
 * and once the ZeroMQ context or the application context is closed; the overall {@code /actuator/health} answers
 * 503 for both {@code OUT_OF_SERVICE} and {@code DOWN}. Each test leaves every proxy and listener as it found them.
 */
@ExtendWith(QuietOutputCaptureExtension.class)
@SpringBootTest(classes = ZmqHealthWebTest.App.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=health,zmq,metrics", "management.endpoint.zmq.access=unrestricted",
        "management.endpoint.health.show-details=always",
        "zmq.peers.alice.bind[0]=tcp://127.0.0.1:0", "zmq.peers.alice.linger=0", "zmq.peers.bob.linger=0",
        "zmq.sockets.ticks.type=SUB", "zmq.sockets.ticks.subscribe[0]=prices.",
        "zmq.proxies.broker.type=router-dealer", "zmq.proxies.broker.frontend.bind[0]=tcp://127.0.0.1:0",
        "zmq.proxies.broker.backend.bind[0]=tcp://127.0.0.1:0",
        "zmq.proxies.spare.type=pull-push", "zmq.proxies.spare.auto-startup=false",
        "zmq.proxies.spare.frontend.bind[0]=tcp://127.0.0.1:0", "zmq.proxies.spare.backend.bind[0]=tcp://127.0.0.1:0",
        "zmq.proxies.blocked.type=pull-push", "zmq.proxies.blocked.auto-startup=false",
        "zmq.proxies.blocked.backend.bind[0]=tcp://127.0.0.1:0" })
@DirtiesContext
class ZmqHealthWebTest {

    /**
     * The port the {@code blocked} proxy's frontend is configured with, reserved for the whole class: when
     * {@link #portHolder} lets go of it (so that the proxy can start), no other process can have taken it.
     */
    private static ReservedPort blockedPort;

    /** Listens on {@link #blockedPort}, so that the {@code blocked} proxy's start fails. */
    private static ServerSocket portHolder;

    @LocalServerPort
    private int port;

    @Autowired
    @Qualifier("broker")
    private ZmqProxy broker;

    @Autowired
    @Qualifier("spare")
    private ZmqProxy spare;

    @Autowired
    @Qualifier("blocked")
    private ZmqProxy blocked;

    @Autowired
    @Qualifier("alice")
    private ZmqPeer alice;

    @Autowired
    @Qualifier("bob")
    private ZmqPeer bob;

    @Autowired
    private ZmqListenerEndpointRegistry registry;

    private ActuatorHttp http;

    @DynamicPropertySource
    static void blockedFrontend(DynamicPropertyRegistry properties) throws IOException {
        blockedPort = ReservedPort.reserve();
        portHolder = new ServerSocket();
        portHolder.setReuseAddress(true);
        portHolder.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), blockedPort.port()), 50);
        properties.add("zmq.proxies.blocked.frontend.bind[0]", blockedPort::endpoint);
    }

    @AfterAll
    static void releasePort() throws IOException {
        portHolder.close();
        blockedPort.close();
    }

    @BeforeEach
    void client() {
        this.http = new ActuatorHttp(this.port);
    }

    /** Puts back what a test changed, so a failed test does not spoil the others. */
    @AfterEach
    void restore() throws IOException {
        if (this.broker.state() == ZmqProxy.State.PAUSED) {
            this.broker.resume();
        }
        if (this.broker.state() != ZmqProxy.State.RUNNING) {
            this.broker.start();
        }
        this.spare.terminate();
        if (this.blocked.state() != ZmqProxy.State.TERMINATED) {
            portHolder.close();
            this.blocked.start();
            this.blocked.terminate();
        }
        worker().start();
    }

    @Test
    void upAtStartWithDetailsOfPeersSocketsProxiesAndListeners() {
        String aliceEndpoint = this.alice.boundEndpoints().get(0);
        int aliceId = this.bob.connect(aliceEndpoint);
        try {
            this.bob.send(aliceId, "job");
            this.bob.send(aliceId, "boom");
            ZmqPeer.Received reply = this.bob.receive(TIMEOUT);
            assertThat(reply).as("the worker's reply").isNotNull();
            assertThat(new String(reply.payload(), StandardCharsets.UTF_8)).isEqualTo("done job");
            await().atMost(TIMEOUT).until(() -> worker().handled() == 1 && worker().failed() == 1);

            Response zmq = this.http.get("/actuator/health/zmq");
            assertThat(zmq.status()).as(zmq.body()).isEqualTo(200);
            assertThat(zmq.json().path("status").asString()).as("a handler failure never turns health DOWN")
                .isEqualTo("UP");
            JsonNode details = zmq.json().path("details");
            assertThat(details.propertyNames()).contains("peers", "sockets", "proxies", "listeners");

            JsonNode peers = details.path("peers");
            assertThat(strings(peers.path("alice").path("endpoints"))).containsExactly(aliceEndpoint);
            assertThat(peers.path("bob").path("connections").propertyNames())
                .containsExactly(String.valueOf(aliceId));
            assertThat(peers.path("bob").path("connections").path(String.valueOf(aliceId)).asString())
                .isEqualTo(aliceEndpoint);

            assertThat(details.path("sockets").path("ticks").path("type").asString()).isEqualTo("SUB");

            JsonNode broker = details.path("proxies").path("broker");
            assertThat(broker.path("state").asString()).isEqualTo("RUNNING");
            assertThat(broker.path("statistics").propertyNames()).containsExactlyInAnyOrder("frontendMessagesIn",
                    "frontendBytesIn", "frontendMessagesOut", "frontendBytesOut", "backendMessagesIn",
                    "backendBytesIn", "backendMessagesOut", "backendBytesOut");
            assertThat(details.path("proxies").path("spare").path("state").asString()).isEqualTo("TERMINATED");

            JsonNode listener = details.path("listeners").path("worker");
            assertThat(listener.path("running").booleanValue()).isTrue();
            assertThat(listener.path("handled").longValue()).isEqualTo(1);
            assertThat(listener.path("failed").longValue()).isEqualTo(1);

            Response overall = this.http.get("/actuator/health");
            assertThat(overall.status()).as(overall.body()).isEqualTo(200);
            assertThat(overall.json().path("components").path("zmq").path("status").asString()).isEqualTo("UP");
        }
        finally {
            this.bob.disconnect(aliceId);
        }
    }

    @Test
    void pausingAProxyThroughTheBeanIsOutOfServiceUntilResumed() {
        assertThat(this.http.zmqHealthStatus()).isEqualTo("UP");

        this.broker.pause();
        Response paused = this.http.awaitZmqHealth("OUT_OF_SERVICE");
        assertThat(paused.status()).isEqualTo(503);
        assertThat(paused.json().path("details").path("proxies").path("broker").path("state").asString())
            .isEqualTo("PAUSED");
        assertThat(paused.body()).contains("broker");
        Response overall = this.http.get("/actuator/health");
        assertThat(overall.status()).as("OUT_OF_SERVICE maps to 503 by default").isEqualTo(503);
        assertThat(overall.json().path("status").asString()).isEqualTo("OUT_OF_SERVICE");

        this.broker.resume();
        assertThat(this.http.awaitZmqHealth("UP").status()).isEqualTo(200);
        assertThat(this.http.get("/actuator/health").status()).isEqualTo(200);
    }

    @Test
    void pausingAProxyThroughTheEndpointIsOutOfServiceUntilResumed() {
        Response pause = this.http.command("/actuator/zmq/proxies/broker", "PAUSE");
        assertThat(pause.status()).as(pause.body()).isEqualTo(200);
        assertThat(this.broker.state()).isEqualTo(ZmqProxy.State.PAUSED);
        assertThat(this.http.awaitZmqHealth("OUT_OF_SERVICE").status()).isEqualTo(503);
        assertThat(this.http.get("/actuator/health").status()).isEqualTo(503);

        Response resume = this.http.command("/actuator/zmq/proxies/broker", "RESUME");
        assertThat(resume.status()).as(resume.body()).isEqualTo(200);
        assertThat(this.broker.state()).isEqualTo(ZmqProxy.State.RUNNING);
        assertThat(this.http.awaitZmqHealth("UP").status()).isEqualTo(200);
        assertThat(this.http.get("/actuator/health").status()).isEqualTo(200);
    }

    @Test
    void terminatingAnAutoStartupProxyIsOutOfServiceUntilStartedAgain() {
        Response terminate = this.http.command("/actuator/zmq/proxies/broker", "TERMINATE");
        assertThat(terminate.status()).as(terminate.body()).isEqualTo(200);
        assertThat(this.broker.state()).isEqualTo(ZmqProxy.State.TERMINATED);
        Response terminated = this.http.awaitZmqHealth("OUT_OF_SERVICE");
        assertThat(terminated.status()).isEqualTo(503);
        assertThat(terminated.json().path("details").path("proxies").path("broker").path("state").asString())
            .isEqualTo("TERMINATED");
        assertThat(this.http.get("/actuator/health").status()).isEqualTo(503);

        this.broker.start();
        assertThat(this.http.awaitZmqHealth("UP").status()).isEqualTo(200);

        this.broker.terminate();
        this.http.awaitZmqHealth("OUT_OF_SERVICE");
        Response start = this.http.command("/actuator/zmq/proxies/broker", "START");
        assertThat(start.status()).as(start.body()).isEqualTo(200);
        assertThat(this.broker.state()).isEqualTo(ZmqProxy.State.RUNNING);
        assertThat(this.http.awaitZmqHealth("UP").status()).isEqualTo(200);
    }

    @Test
    void aProxyWithoutAutoStartupMayBeStartedAndTerminatedWhileHealthStaysUp() {
        this.spare.start();
        assertThat(this.spare.state()).isEqualTo(ZmqProxy.State.RUNNING);
        assertThat(this.http.awaitZmqHealth("UP").json().path("details").path("proxies").path("spare").path("state")
            .asString()).isEqualTo("RUNNING");

        this.spare.terminate();
        Response response = this.http.awaitZmqHealth("UP");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("details").path("proxies").path("spare").path("state").asString())
            .isEqualTo("TERMINATED");
    }

    @Test
    void stoppingAnAutoStartupListenerIsOutOfServiceUntilStartedAgain() {
        Response stop = this.http.command("/actuator/zmq/listeners/worker", "STOP");
        assertThat(stop.status()).as(stop.body()).isEqualTo(200);
        assertThat(worker().isRunning()).isFalse();
        Response stopped = this.http.awaitZmqHealth("OUT_OF_SERVICE");
        assertThat(stopped.status()).isEqualTo(503);
        assertThat(stopped.json().path("details").path("listeners").path("worker").path("running").booleanValue())
            .isFalse();
        assertThat(this.http.get("/actuator/health").status()).isEqualTo(503);

        Response start = this.http.command("/actuator/zmq/listeners/worker", "START");
        assertThat(start.status()).as(start.body()).isEqualTo(200);
        assertThat(worker().isRunning()).isTrue();
        Response started = this.http.awaitZmqHealth("UP");
        assertThat(started.json().path("details").path("listeners").path("worker").path("running").booleanValue())
            .isTrue();
        assertThat(this.http.get("/actuator/health").status()).isEqualTo(200);
    }

    @Test
    void aFailedProxyIsDownUntilItRunsAgain() throws IOException {
        assertThat(this.http.zmqHealthStatus()).isEqualTo("UP");

        assertThatRuntimeException().as("the frontend port is held by a plain server socket")
            .isThrownBy(this.blocked::start);
        assertThat(this.blocked.state()).isEqualTo(ZmqProxy.State.FAILED);

        Response down = this.http.awaitZmqHealth("DOWN");
        assertThat(down.status()).isEqualTo(503);
        JsonNode blockedDetails = down.json().path("details").path("proxies").path("blocked");
        assertThat(blockedDetails.path("state").asString()).isEqualTo("FAILED");
        assertThat(down.body()).contains("blocked");
        Response overall = this.http.get("/actuator/health");
        assertThat(overall.status()).isEqualTo(503);
        assertThat(overall.json().path("status").asString()).isEqualTo("DOWN");

        // DOWN wins over OUT_OF_SERVICE
        this.broker.pause();
        assertThat(this.http.awaitZmqHealth("DOWN").status()).isEqualTo(503);
        this.broker.resume();

        portHolder.close();
        this.blocked.start();
        assertThat(this.blocked.state()).isEqualTo(ZmqProxy.State.RUNNING);
        assertThat(this.http.awaitZmqHealth("UP").status()).isEqualTo(200);
        this.blocked.terminate();
        assertThat(this.http.awaitZmqHealth("UP").status()).isEqualTo(200);
    }

    @Test
    void closingTheZeroMqContextTurnsTheIndicatorDown() {
        try (ConfigurableApplicationContext context = separateContext()) {
            ZmqHealthIndicator indicator = context.getBean(ZmqHealthIndicator.class);
            assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);

            context.getBean(ZmqContextManager.class).close();
            Health health = indicator.health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).doesNotContainKey("error");
            assertThat(health.getDetails().get("reasons")).asString().contains("context is closed");
        }
    }

    @Test
    void aListenerWhoseSocketClosedUnderItIsDown() {
        try (ConfigurableApplicationContext context = separateContext()) {
            ZmqHealthIndicator indicator = context.getBean(ZmqHealthIndicator.class);
            ZmqListenerContainer worker = context.getBean(ZmqListenerEndpointRegistry.class)
                .getListenerContainer("worker");
            assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
            assertThat(worker.isDead()).isFalse();

            context.getBean("alice", ZmqPeer.class).close();
            await().atMost(TIMEOUT).until(worker::isDead);
            Health health = indicator.health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails().get("reasons")).asString().contains("listener 'worker' is dead");
            assertThat(worker.isRunning()).as("not stopped by anyone: still running, yet dead").isTrue();
        }
    }

    @Test
    void closingTheApplicationContextTurnsTheIndicatorDown() {
        ZmqHealthIndicator indicator;
        ZmqContextManager contextManager;
        try (ConfigurableApplicationContext context = separateContext()) {
            indicator = context.getBean(ZmqHealthIndicator.class);
            contextManager = context.getBean(ZmqContextManager.class);
            assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
        }
        assertThat(contextManager.isTerminated()).isTrue();
        Health health = indicator.health();
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).as("DOWN for the closed context, not for a failed health check")
            .doesNotContainKey("error");
        assertThat(health.getDetails().get("reasons")).asString().contains("context is closed");
    }

    private static ConfigurableApplicationContext separateContext() {
        return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
            .properties("zmq.peers.alice.bind[0]=tcp://127.0.0.1:0", "zmq.peers.alice.linger=0",
                    "zmq.proxies.broker.type=router-dealer", "zmq.proxies.broker.frontend.bind[0]=tcp://127.0.0.1:0",
                    "zmq.proxies.broker.backend.bind[0]=tcp://127.0.0.1:0")
            .run();
    }

    private ZmqListenerContainer worker() {
        ZmqListenerContainer container = this.registry.getListenerContainer("worker");
        assertThat(container).as("listener 'worker'").isNotNull();
        return container;
    }


    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean
        Worker worker() {
            return new Worker();
        }
    }

    static class Worker {

        @ZmqListener(id = "worker", peer = "alice")
        String handle(String text) {
            if (text.startsWith("boom")) {
                throw new IllegalStateException("failing on purpose: " + text);
            }
            return "done " + text;
        }
    }
}
