package io.github.zmqboot.test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.zmqboot.core.ZmqSocket;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The test client against a real application over tcp and ipc, every bind endpoint moved to an ephemeral one by
 * {@code @ZmqTest}.
 */
@SpringBootTest(classes = EchoApplication.class, properties = { "zmq.peers.echo.bind=tcp://127.0.0.1:1",
        "zmq.sockets.upper.type=REP", "zmq.sockets.upper.bind=tcp://127.0.0.1:2",
        "zmq.sockets.router.type=ROUTER", "zmq.sockets.router.bind=tcp://127.0.0.1:3",
        "zmq.sockets.sink.type=PULL", "zmq.sockets.sink.bind=ipc://zmq-test-sink-is-moved",
        "zmq.sockets.news.type=PUB", "zmq.sockets.news.bind=tcp://127.0.0.1:4" })
@ZmqTest(ephemeral = { "echo", "upper", "router", "sink", "news" })
class ZmqTestClientTest {

    @Autowired
    @Qualifier("news")
    private ZmqSocket news;

    @Test
    void ephemeralEndpointsAreFoundByBeanName(ZmqTestClient client) {
        assertThat(client.endpoint("echo")).matches("tcp://127\\.0\\.0\\.1:\\d+").isNotEqualTo("tcp://127.0.0.1:1");
        assertThat(client.endpoint("upper")).matches("tcp://127\\.0\\.0\\.1:\\d+").isNotEqualTo("tcp://127.0.0.1:2");
        assertThat(client.endpoint("sink")).startsWith("ipc://").doesNotContain("zmq-test-sink-is-moved");
        assertThatThrownBy(() -> client.endpoint("nothing")).hasMessageContaining("No ZeroMQ bean named 'nothing'");
    }

    @Test
    void aPeerTalksToAPeerBeanByRoutingId(ZmqTestClient client) {
        TestPeer peer = client.connectPeer("echo");
        assertThat(peer.routingId()).isNotZero();
        for (int i = 1; i <= 3; i++) {
            assertThat(peer.send("hello " + i).expectString()).isEqualTo("echo: hello " + i);
        }
    }

    @Test
    void reqAndDealerMakeRequests(ZmqTestClient client) {
        assertThat(client.connect(SocketType.REQ, "upper").request("shout")).isEqualTo("SHOUT");
        TestSocket dealer = client.connect(SocketType.DEALER, "router");
        assertThat(dealer.request("{\"item\":\"widget\",\"quantity\":3}")).isEqualTo("3 x widget");
        assertThat(dealer.request("{\"item\":\"gadget\",\"quantity\":1}")).isEqualTo("1 x gadget");
    }

    @Test
    void rawFramesReachAListenerAsTheyWereSent(ZmqTestClient client, ZmqListenerHarness harness) {
        client.connect(SocketType.PUSH, "sink").sendFrames("one".getBytes(StandardCharsets.UTF_8), new byte[] { 0, 1 },
                "three".getBytes(StandardCharsets.UTF_8));
        ListenerInvocation call = harness.await("sink", 1).get(0);
        assertThat(call.<org.zeromq.ZMsg>argument(0).size()).isEqualTo(3);
        assertThat(call.<org.zeromq.ZMsg>argument(0).toArray(new org.zeromq.ZFrame[0])[1].getData())
            .containsExactly(0, 1);
    }

    @Test
    void aSubCollectsWhatAPubBeanPublishes(ZmqTestClient client) {
        TestSocket sub = client.connect(SocketType.SUB, "news").subscribe("news.");
        // a subscription reaches the PUB some time after the connect (ZeroMQ's slow joiner): publish until it has
        long deadline = System.nanoTime() + ZmqTestClient.DEFAULT_TIMEOUT.toNanos();
        do {
            assertThat(System.nanoTime()).as("the subscription reached the PUB in time").isLessThan(deadline);
            this.news.send("news.warm-up");
        }
        while (sub.receive(Duration.ofMillis(100)) == null);
        this.news.send("other.ignored");
        for (int i = 0; i < 3; i++) {
            this.news.send("news." + i);
        }
        List<String> received = new ArrayList<>();
        while (!received.contains("news.2")) {
            received.addAll(sub.collect(1, Duration.ofSeconds(10)));
        }
        assertThat(received).filteredOn(message -> !message.equals("news.warm-up"))
            .containsExactly("news.0", "news.1", "news.2");
    }

    @Test
    void aMissingReplyFailsAfterTheTimeout(ZmqTestClient client) {
        TestSocket sink = client.timeout(Duration.ofMillis(200)).connect(SocketType.DEALER, "router");
        assertThatThrownBy(sink::expectFrames).isInstanceOf(AssertionError.class)
            .hasMessageContaining("no message on the DEALER test socket within PT0.2S");
    }
}
