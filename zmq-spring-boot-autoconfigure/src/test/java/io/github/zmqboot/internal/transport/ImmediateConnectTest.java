package io.github.zmqboot.internal.transport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.github.zmqboot.internal.context.ZmqContextManager;
import io.github.zmqboot.convert.ZmqPayloadConverter;
import io.github.zmqboot.core.ZmqError;
import io.github.zmqboot.core.ZmqException;
import io.github.zmqboot.core.ZmqSocket;
import io.github.zmqboot.internal.engine.SocketOptions;
import io.github.zmqboot.internal.engine.ZmqSocketFactory;
import io.github.zmqboot.internal.socket.ZmqSockets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.zeromq.SocketType;
import org.zeromq.ZMsg;

import org.springframework.messaging.converter.JacksonJsonMessageConverter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * libzmq's {@code ZMQ_IMMEDIATE} ({@code immediate: true}) on the project's transports: a connecting socket queues
 * messages only to completed connections, so with none a send fails with {@code EAGAIN} at once; when its
 * connection is lost, the pipe goes with it (nothing is queued for the connection that is not there) and comes back
 * with the reconnect.
 */
@Timeout(60)
class ImmediateConnectTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static final SocketOptions IMMEDIATE = new SocketOptions(null, null, true, null, null, null,
            Duration.ofMillis(50), null, Duration.ZERO, null, Duration.ZERO, null, null, null, null, null, null, null);

    private ZmqContextManager contextManager;

    private ZmqSocketFactory factory;

    private ZmqSockets sockets;

    @BeforeEach
    void createContext() {
        this.contextManager = new ZmqContextManager(1, 1024);
        this.factory = new ZmqSocketFactory(this.contextManager, SocketOptions.NONE, List.of());
        this.sockets = new ZmqSockets(this.factory, new ZmqPayloadConverter(new JacksonJsonMessageConverter()));
    }

    @AfterEach
    void closeContext() {
        this.contextManager.close();
    }

    @ParameterizedTest
    @ValueSource(strings = { "tcp", "ipc" })
    void anImmediateSocketQueuesOnlyToCompletedConnectionsAcrossAReconnect(String transport, @TempDir Path folder) {
        // an ipc path of its own: ipc://* files live in a directory removed with them
        String bind = "tcp".equals(transport) ? "tcp://127.0.0.1:*" : "ipc://" + folder.resolve("immediate.sock");
        ZmqSocket first = this.sockets.createZmqSocket("first", SocketType.PULL, SocketOptions.NONE);
        String endpoint = first.bind(bind);
        ZmqSocket client = this.sockets.createZmqSocket("client", SocketType.PUSH, IMMEDIATE);
        client.connect(endpoint);
        await("the connection completed").atMost(WAIT).ignoreException(ZmqException.class)
            .until(() -> sent(client, "one"));
        assertThat(received(first)).isEqualTo("one");

        first.close();
        await("the pipe went with the connection").atMost(WAIT).until(() -> !sent(client, "lost"));
        assertThatThrownBy(() -> client.send("nothing queued")).isInstanceOf(ZmqException.class)
            .extracting(failure -> ((ZmqException) failure).error())
            .isEqualTo(ZmqError.EAGAIN);

        ZmqSocket second = this.sockets.createZmqSocket("second", SocketType.PULL, SocketOptions.NONE);
        await("the endpoint bound again").atMost(WAIT).ignoreException(ZmqException.class)
            .until(() -> endpoint.equals(second.bind(endpoint)));
        await("reconnected").atMost(WAIT).ignoreException(ZmqException.class).until(() -> sent(client, "two"));
        assertThat(received(second)).isEqualTo("two");
    }

    /** Sends without waiting: false when the socket has no completed connection ({@code EAGAIN}). */
    private static boolean sent(ZmqSocket client, String payload) {
        try {
            client.send(payload);
            return true;
        }
        catch (ZmqException ex) {
            if (ex.error() == ZmqError.EAGAIN) {
                return false;
            }
            throw ex;
        }
    }

    private static String received(ZmqSocket server) {
        ZMsg message = server.receive(WAIT);
        assertThat(message).isNotNull();
        return message.popString();
    }
}
