package io.github.zmqboot.test;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The listener harness: arguments, return values and exceptions of real listener calls, awaited by count. */
@SpringBootTest(classes = EchoApplication.class, properties = { "zmq.peers.echo.bind=tcp://127.0.0.1:1",
        "zmq.sockets.upper.type=REP", "zmq.sockets.upper.bind=tcp://127.0.0.1:2",
        "zmq.sockets.router.type=ROUTER", "zmq.sockets.router.bind=tcp://127.0.0.1:3",
        "zmq.sockets.sink.type=PULL", "zmq.sockets.sink.bind=ipc://zmq-test-sink-is-moved",
        "zmq.sockets.news.type=PUB", "zmq.sockets.news.bind=tcp://127.0.0.1:4" })
@ZmqTest(ephemeral = { "echo", "upper", "router", "sink", "news" })
class ZmqListenerHarnessTest {

    @Autowired
    private ZmqListenerHarness harness;

    @Test
    void recordsArgumentsAndReturnValuesOfEachCall(ZmqTestClient client) {
        TestPeer peer = client.connectPeer("echo");
        peer.send("one").send("two").send("three");

        List<ListenerInvocation> calls = this.harness.await("echo", 3);

        assertThat(calls).extracting(call -> call.<String>argument(0)).containsExactly("one", "two", "three");
        assertThat(calls).extracting(ListenerInvocation::result)
            .containsExactly("echo: one", "echo: two", "echo: three");
        // the routing id the listener got is the sender's connection, not the one the test peer sends to
        assertThat(calls).extracting(call -> call.<Integer>argument(1)).doesNotContainNull().containsOnly(
                calls.get(0).<Integer>argument(1));
        assertThat(calls).allMatch(ListenerInvocation::succeeded);
        // the handler still answers as before
        assertThat(peer.expectString()).isEqualTo("echo: one");
    }

    @Test
    void convertedPayloadsAreRecordedAsTheMethodGotThem(ZmqTestClient client) {
        client.connect(SocketType.DEALER, "router").request("{\"item\":\"widget\",\"quantity\":2}");
        ListenerInvocation call = this.harness.await("router", 1).get(0);
        assertThat(call.<EchoApplication.Order>argument(0)).isEqualTo(new EchoApplication.Order("widget", 2));
        assertThat(call.result()).isEqualTo("2 x widget");
    }

    @Test
    void recordsTheExceptionOfAFailedCall(ZmqTestClient client) {
        client.connect(SocketType.PUSH, "sink").send("fine").send("boom");
        List<ListenerInvocation> calls = this.harness.await("sink", 2);
        assertThat(calls.get(0).succeeded()).isTrue();
        assertThat(calls.get(1).failure()).isInstanceOf(IllegalArgumentException.class).hasMessage("boom");
    }

    @Test
    void startsEachTestWithNoCallsAndFailsAnAwaitThatIsNotMet() {
        assertThat(this.harness.invocations("echo")).isEmpty();
        assertThatThrownBy(() -> this.harness.await("upper", 1, Duration.ofMillis(100)))
            .isInstanceOf(AssertionError.class)
            .hasMessage("listener 'upper' was called 0 of 1 times within PT0.1S");
        assertThatThrownBy(() -> this.harness.await("nobody", 1)).hasMessageContaining("No @ZmqListener with id "
                + "'nobody'");
    }
}
