package io.github.zmqboot.internal.socket;

import java.time.Duration;

import io.github.zmqboot.core.ZmqError;
import io.github.zmqboot.core.ZmqException;
import io.github.zmqboot.core.ZmqSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZMsg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** {@code receive(timeout)}: null when nothing came in time, else the next message with all of its frames. */
class ReceiveTest {

    private final TestSockets sockets = new TestSockets();

    @AfterEach
    void close() {
        this.sockets.close();
    }

    @Test
    void receiveReturnsNullOnTimeoutAndTheWholeMessageOtherwise() {
        ZmqSocket pull = this.sockets.create("in", SocketType.PULL);
        // a wildcard: JeroMQ maps an ipc name to a fixed loopback tcp port, which an ephemeral port in use (or in
        // TIME_WAIT after another test's connections) can hold
        String endpoint = pull.bind("ipc://*");
        ZmqSocket push = this.sockets.create("out", SocketType.PUSH);
        push.connect(endpoint);

        long start = System.nanoTime();
        assertThat(pull.receive(Duration.ofMillis(300))).isNull();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(250),
                Duration.ofSeconds(5));

        ZMsg sent = new ZMsg();
        sent.add("first");
        sent.add(new byte[0]);
        sent.add("third");
        push.send(sent);
        ZMsg received = pull.receive(TestSockets.PATIENCE);
        assertThat(received).isNotNull();
        assertThat(received.size()).isEqualTo(3);
        assertThat(received.popString()).isEqualTo("first");
        assertThat(received.pop().getData()).isEmpty();
        assertThat(received.popString()).isEqualTo("third");
        assertThat(pull.receive(Duration.ZERO)).isNull();
    }

    @Test
    void receiveWithZeroTimeoutTakesAQueuedMessage() {
        ZmqSocket pair = this.sockets.create("a", SocketType.PAIR);
        pair.bind("inproc://generic-receive-zero");
        ZmqSocket other = this.sockets.create("b", SocketType.PAIR);
        other.connect("inproc://generic-receive-zero");
        other.send("queued");
        ZMsg first = pair.receive(TestSockets.PATIENCE); // the first one proves the pipe is up
        assertThat(first.popString()).isEqualTo("queued");
        other.send("again");
        org.awaitility.Awaitility.await()
            .atMost(TestSockets.PATIENCE)
            .until(() -> {
                ZMsg message = pair.receive(Duration.ZERO);
                return message != null && "again".equals(message.popString());
            });
    }

    @Test
    void typesThatCannotReceiveOrSendSayEnotsup() {
        ZmqSocket push = this.sockets.create("out", SocketType.PUSH);
        ZmqSocket pull = this.sockets.create("in", SocketType.PULL);
        ZmqSocket radio = this.sockets.create("radio", SocketType.RADIO);
        assertThatExceptionOfType(ZmqException.class).isThrownBy(() -> push.receive(Duration.ZERO))
            .satisfies(ex -> assertThat(ex.error()).isEqualTo(ZmqError.ENOTSUP));
        assertThatExceptionOfType(ZmqException.class).isThrownBy(() -> pull.send("x"))
            .satisfies(ex -> assertThat(ex.error()).isEqualTo(ZmqError.ENOTSUP));
        assertThatExceptionOfType(ZmqException.class).isThrownBy(() -> radio.receive(Duration.ZERO))
            .satisfies(ex -> assertThat(ex.error()).isEqualTo(ZmqError.ENOTSUP));
    }
}
