package io.github.zmqboot.sample;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.github.zmqboot.sample.orders.OrderReceipt;
import io.github.zmqboot.sample.orders.OrderRequest;
import io.github.zmqboot.test.ListenerInvocation;
import io.github.zmqboot.test.TestPeer;
import io.github.zmqboot.test.ZmqListenerHarness;
import io.github.zmqboot.test.ZmqTest;
import io.github.zmqboot.test.ZmqTestClient;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample app tested with {@code zmq-spring-boot-test}: a {@link ZmqTestClient} talks to alice and to the broker
 * as another process would, and the {@link ZmqListenerHarness} shows what the listeners were called with and what
 * they returned. The traffic drivers are slowed to once an hour, so the test's own messages are (nearly) alone.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = { "sample.instance=client-test", "sample.traffic.interval=1h" })
@ZmqTest
class SampleClientTest {

    private static final FreePorts PORTS = FreePorts.find();

    @DynamicPropertySource
    static void ports(DynamicPropertyRegistry registry) {
        PORTS.zmq.forEach((name, port) -> registry.add("sample.ports." + name, () -> port));
    }

    @Test
    void aliceAnswersACurveClientAndTheHarnessSeesTheCall(ZmqTestClient client, ZmqListenerHarness harness) {
        // alice is a CURVE server that admits bob's key: this client comes with bob's demo keys
        TestPeer peer = client.connectPeer("alice", SampleClientTest::bobsKeys);

        assertThat(peer.send("hello from the test").expectString())
            .isEqualTo("alice@client-test heard 'hello from the test'");

        ListenerInvocation call = harness.await("alice-chat", 1).stream()
            .filter(invocation -> "hello from the test".equals(invocation.argument(0)))
            .findFirst()
            .orElseThrow();
        assertThat(call.result()).isEqualTo("alice@client-test heard 'hello from the test'");
    }

    @Test
    void theBrokerCarriesAJsonOrderToAWorker(ZmqTestClient client, ZmqListenerHarness harness) {
        String receipt = client.connect(SocketType.REQ, "broker").request("{\"item\":\"test-widget\",\"quantity\":7}");
        assertThat(receipt).contains("\"item\":\"test-widget\"", "\"quantity\":7");

        List<ListenerInvocation> calls = new java.util.ArrayList<>();
        calls.addAll(harness.invocations("order-worker-1"));
        calls.addAll(harness.invocations("order-worker-2"));
        // the reply left the worker, so its call was recorded: the converted request and the receipt it returned
        ListenerInvocation call = calls.stream()
            .filter(invocation -> invocation.<OrderRequest>argument(0).item().equals("test-widget"))
            .findFirst()
            .orElseThrow();
        assertThat(call.<OrderRequest>argument(0)).isEqualTo(new OrderRequest("test-widget", 7));
        assertThat(((OrderReceipt) call.result()).worker()).isEqualTo(call.<String>argument(1));
    }

    private static void bobsKeys(ZMQ.Socket socket) {
        socket.setCurvePublicKey("f1TV:7K#G#s(dQe6Tfgl5X1R{u*8SXTb0!cugwN@".getBytes(StandardCharsets.US_ASCII));
        socket.setCurveSecretKey("AHY@[k>v=h+?lmol7LXR+HnepA3nPPD5Qj#c{7gL".getBytes(StandardCharsets.US_ASCII));
        socket.setCurveServerKey("SQ)wbGFC9-ZZSRE^6lu=)C7lsGbqL3ftYjZ*b^q1".getBytes(StandardCharsets.US_ASCII));
    }
}
