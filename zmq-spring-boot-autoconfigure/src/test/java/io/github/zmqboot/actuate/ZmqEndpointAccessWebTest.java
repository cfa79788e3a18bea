package io.github.zmqboot.actuate;

import io.github.zmqboot.actuate.ActuatorHttp.Response;
import io.github.zmqboot.core.ZmqProxy;
import io.github.zmqboot.listener.ZmqListenerEndpointRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without {@code management.endpoint.zmq.access=unrestricted} the {@code zmq} endpoint only reads: a steering
 * {@code POST} answers 404 and leaves the proxy and the listener as they were, while {@code GET} still answers.
 * (With the grant the same commands answer 200: {@link ZmqEndpointWebTest}.)
 */
@SpringBootTest(classes = ChatApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "management.endpoints.web.exposure.include=health,zmq",
                "zmq.peers.alice.bind[0]=tcp://127.0.0.1:0", "zmq.peers.alice.linger=0",
                "zmq.proxies.broker.type=router-dealer", "zmq.proxies.broker.frontend.bind[0]=tcp://127.0.0.1:0",
                "zmq.proxies.broker.backend.bind[0]=tcp://127.0.0.1:0" })
@DirtiesContext
class ZmqEndpointAccessWebTest {

    @LocalServerPort
    private int port;

    @Autowired
    @Qualifier("broker")
    private ZmqProxy broker;

    @Autowired
    private ZmqListenerEndpointRegistry registry;

    private ActuatorHttp http;

    @BeforeEach
    void client() {
        this.http = new ActuatorHttp(this.port);
    }

    @Test
    void steeringIsRefusedWithoutTheAccessGrantAndChangesNothing() {
        Response terminate = this.http.command("/actuator/zmq/proxies/broker", "TERMINATE");
        assertThat(terminate.status()).as(terminate.body()).isEqualTo(404);
        assertThat(this.broker.state()).isEqualTo(ZmqProxy.State.RUNNING);

        Response pause = this.http.command("/actuator/zmq/proxies/broker", "PAUSE");
        assertThat(pause.status()).as(pause.body()).isEqualTo(404);
        assertThat(this.broker.state()).isEqualTo(ZmqProxy.State.RUNNING);

        Response stop = this.http.command("/actuator/zmq/listeners/chat", "STOP");
        assertThat(stop.status()).as(stop.body()).isEqualTo(404);
        assertThat(this.registry.getListenerContainer("chat").isRunning()).isTrue();

        Response read = this.http.get("/actuator/zmq");
        assertThat(read.status()).as(read.body()).isEqualTo(200);
        assertThat(read.json().path("proxies").path("broker").path("state").asString()).isEqualTo("RUNNING");
    }
}
