package io.github.zmqboot.actuate;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.zmqboot.actuate.ActuatorHttp.Response;
import io.github.zmqboot.core.ZmqProxy;
import io.github.zmqboot.core.ZmqSteeringEvent;
import io.github.zmqboot.core.ZmqSteeringEvent.Outcome;
import io.github.zmqboot.core.ZmqSteeringEvent.Target;
import io.github.zmqboot.listener.ZmqListenerEndpointRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every steering command leaves one audit line at INFO and one {@link ZmqSteeringEvent}, with its origin: the
 * remote address over HTTP, the peer's address over the control socket, {@code api} for a Java call; a refused HTTP
 * command is recorded as refused. The application's own start of the proxy and the listener is not steering.
 */
@SpringBootTest(classes = ZmqSteeringAuditWebTest.App.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "management.endpoints.web.exposure.include=zmq", "management.endpoint.zmq.access=unrestricted",
                "zmq.peers.alice.bind[0]=tcp://127.0.0.1:0", "zmq.peers.alice.linger=0",
                "zmq.proxies.broker.type=router-dealer", "zmq.proxies.broker.frontend.bind[0]=tcp://127.0.0.1:0",
                "zmq.proxies.broker.backend.bind[0]=tcp://127.0.0.1:0",
                "zmq.proxies.broker.control.bind[0]=tcp://127.0.0.1:0" })
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class ZmqSteeringAuditWebTest {

    private static final Duration TIMEOUT = ActuatorHttp.TIMEOUT;

    @LocalServerPort
    private int port;

    @Autowired
    @Qualifier("broker")
    private ZmqProxy broker;

    @Autowired
    private ZmqListenerEndpointRegistry registry;

    @Autowired
    private Events events;

    private ActuatorHttp http;

    @BeforeEach
    void client() {
        this.http = new ActuatorHttp(this.port);
    }

    @AfterEach
    void restore() {
        if (this.broker.state() == ZmqProxy.State.PAUSED) {
            this.broker.resume();
        }
        this.registry.getListenerContainer("chat").start();
        this.events.received.clear();
    }

    @Test
    void theApplicationsOwnStartIsNoSteering() {
        assertThat(this.events.received).isEmpty();
    }

    @Test
    void anHttpCommandIsLoggedAndPublishedWithTheRemoteAddress(CapturedOutput output) {
        Response pause = this.http.command("/actuator/zmq/proxies/broker", "pause");
        assertThat(pause.status()).as(pause.body()).isEqualTo(200);
        assertThat(this.events.received)
            .containsExactly(new ZmqSteeringEvent(Target.PROXY, "broker", "PAUSE", Outcome.APPLIED, "http 127.0.0.1",
                    null));
        assertThat(output.getOut()).containsOnlyOnce("Steering: PAUSE proxy 'broker' APPLIED (origin http 127.0.0.1)");

        Response stop = this.http.command("/actuator/zmq/listeners/chat", "STOP");
        assertThat(stop.status()).as(stop.body()).isEqualTo(200);
        assertThat(this.events.received.get(1))
            .isEqualTo(new ZmqSteeringEvent(Target.LISTENER, "chat", "STOP", Outcome.APPLIED, "http 127.0.0.1", null));
        assertThat(output.getOut()).contains("Steering: STOP listener 'chat' APPLIED (origin http 127.0.0.1)");

        Response bogus = this.http.command("/actuator/zmq/proxies/broker", "EXPLODE");
        assertThat(bogus.status()).as(bogus.body()).isEqualTo(400);
        assertThat(this.events.received.get(2))
            .isEqualTo(new ZmqSteeringEvent(Target.PROXY, "broker", "EXPLODE", Outcome.REFUSED, "http 127.0.0.1",
                    null));
    }

    @Test
    void aJavaCallIsRecordedWithOriginApi(CapturedOutput output) {
        this.broker.pause();
        this.broker.resume();
        assertThat(this.events.received).containsExactly(
                new ZmqSteeringEvent(Target.PROXY, "broker", "PAUSE", Outcome.APPLIED, "api", null),
                new ZmqSteeringEvent(Target.PROXY, "broker", "RESUME", Outcome.APPLIED, "api", null));
        assertThat(output.getOut()).contains("Steering: RESUME proxy 'broker' APPLIED (origin api)");
    }

    @Test
    void aControlSocketCommandIsRecordedWithThePeersAddress(CapturedOutput output) {
        try (ZContext context = new ZContext(1); ZMQ.Socket control = context.createSocket(SocketType.REQ)) {
            control.setReceiveTimeOut((int) TIMEOUT.toMillis());
            control.setLinger(0);
            control.setHandshakeIvl(1000); // JeroMQ's connect race heals at the handshake interval (30 s default)
            control.connect(this.broker.controlEndpoints().get(0));
            assertThat(control.send("PAUSE")).isTrue();
            assertThat(control.recv()).as("the empty reply").isEmpty();
            assertThat(control.send("STATISTICS")).isTrue();
            assertThat(control.recvStr()).as("the first counter").isNotNull();
            while (control.hasReceiveMore()) {
                control.recv();
            }
        }
        await().atMost(TIMEOUT).until(() -> !this.events.received.isEmpty());
        assertThat(this.broker.state()).isEqualTo(ZmqProxy.State.PAUSED);
        assertThat(this.events.received).as("STATISTICS is a query, no steering").hasSize(1);
        ZmqSteeringEvent event = this.events.received.get(0);
        assertThat(event.target()).isEqualTo(Target.PROXY);
        assertThat(event.name()).isEqualTo("broker");
        assertThat(event.command()).isEqualTo("PAUSE");
        assertThat(event.outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(event.origin()).startsWith("control-socket 127.0.0.1");
        assertThat(event.principal()).isNull();
        assertThat(output.getOut()).contains("Steering: PAUSE proxy 'broker' APPLIED (origin " + event.origin() + ")");
    }

    @Configuration(proxyBeanMethods = false)
    @Import(ChatApplication.class)
    static class App {

        @Bean
        Events events() {
            return new Events();
        }
    }

    static class Events {

        final List<ZmqSteeringEvent> received = new CopyOnWriteArrayList<>();

        @EventListener
        void on(ZmqSteeringEvent event) {
            this.received.add(event);
        }
    }
}
