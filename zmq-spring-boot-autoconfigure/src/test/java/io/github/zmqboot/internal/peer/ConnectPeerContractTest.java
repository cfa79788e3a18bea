package io.github.zmqboot.internal.peer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;

import io.github.zmqboot.autoconfigure.ZmqAutoConfiguration;
import io.github.zmqboot.core.ZmqError;
import io.github.zmqboot.core.ZmqException;
import io.github.zmqboot.core.ZmqPeer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.entry;

/**
 * Proves that {@link ZmqPeer#connect(String)} keeps libzmq's {@code zmq_connect_peer(3)} contract over real
 * sockets: the routing id it returns is never 0 and addresses exactly the connection it created, and every failure
 * is a {@link ZmqException} carrying libzmq's error ({@code EINVAL}, {@code EPROTONOSUPPORT}, {@code ENOCOMPATPROTO},
 * {@code ETERM}, {@code ENOTSOCK}, {@code EMTHREAD}, {@code EFAULT}); sends and disconnects to routing ids that do not
 * (or no longer) exist fail with {@code EHOSTUNREACH}.
 */
class ConnectPeerContractTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** How long a peer is watched for a message that must not arrive. */
    private static final Duration QUIET = Duration.ofMillis(200);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ZmqAutoConfiguration.class))
        .withPropertyValues("zmq.context.linger=0s");

    @Test
    void connectReturnsNonZeroRoutingIdThatAddressesExactlyThatConnection() {
        this.runner
            .withPropertyValues("zmq.peers.left.bind[0]=tcp://127.0.0.1:0", "zmq.peers.right.bind[0]=tcp://127.0.0.1:0",
                    "zmq.peers.client.linger=0s")
            .run((context) -> {
                ZmqPeer left = context.getBean("left", ZmqPeer.class);
                ZmqPeer right = context.getBean("right", ZmqPeer.class);
                ZmqPeer client = context.getBean("client", ZmqPeer.class);
                String leftEndpoint = left.boundEndpoints().get(0);
                String rightEndpoint = right.boundEndpoints().get(0);

                int leftId = client.connect(leftEndpoint);
                int rightId = client.connect(rightEndpoint);
                assertThat(leftId).isNotZero();
                assertThat(rightId).isNotZero().isNotEqualTo(leftId);
                assertThat(client.connections()).containsOnly(entry(leftId, leftEndpoint), entry(rightId, rightEndpoint));

                client.send(rightId, "for right");
                client.send(leftId, "for left");
                assertThat(text(left.receive(TIMEOUT))).isEqualTo("for left");
                assertThat(text(right.receive(TIMEOUT))).isEqualTo("for right");
                assertThat(left.receive(QUIET)).isNull();
                assertThat(right.receive(QUIET)).isNull();
            });
    }

    @Test
    void replyComesBackFromTheRoutingIdThatConnectReturned() {
        this.runner
            .withPropertyValues("zmq.peers.left.bind[0]=tcp://127.0.0.1:0", "zmq.peers.right.bind[0]=tcp://127.0.0.1:0",
                    "zmq.peers.client.linger=0s")
            .run((context) -> {
                ZmqPeer left = context.getBean("left", ZmqPeer.class);
                ZmqPeer right = context.getBean("right", ZmqPeer.class);
                ZmqPeer client = context.getBean("client", ZmqPeer.class);
                int leftId = client.connect(left.boundEndpoints().get(0));
                int rightId = client.connect(right.boundEndpoints().get(0));

                client.send(leftId, "ping left");
                client.send(rightId, "ping right");
                ZmqPeer.Received atLeft = left.receive(TIMEOUT);
                ZmqPeer.Received atRight = right.receive(TIMEOUT);
                assertThat(text(atLeft)).isEqualTo("ping left");
                assertThat(text(atRight)).isEqualTo("ping right");
                right.send(atRight.routingId(), "pong right");
                left.send(atLeft.routingId(), "pong left");

                ZmqPeer.Received first = client.receive(TIMEOUT);
                ZmqPeer.Received second = client.receive(TIMEOUT);
                assertThat(first).isNotNull();
                assertThat(second).isNotNull();
                Map<Integer, String> replies = new HashMap<>();
                replies.put(first.routingId(), text(first));
                replies.put(second.routingId(), text(second));
                assertThat(replies).containsOnly(entry(leftId, "pong left"), entry(rightId, "pong right"));
            });
    }

    @ParameterizedTest
    @ValueSource(strings = { "tcp://", "nonsense", "tcp://127.0.0.1", "tcp://127.0.0.1:99999", "tcp://*:5555",
            "inproc://" })
    void connectToMalformedEndpointThrowsEinval(String endpoint) {
        this.runner.withPropertyValues("zmq.peers.client.linger=0s").run((context) -> {
            ZmqPeer client = context.getBean("client", ZmqPeer.class);
            assertError(ZmqError.EINVAL, () -> client.connect(endpoint));
            assertThat(client.connections()).isEmpty();
        });
    }

    @ParameterizedTest
    @ValueSource(strings = { "norm://127.0.0.1:5555", "tipc://{5560,0,0}", "pgm://eth0;239.192.1.1:5555",
            "bogus://x" })
    void connectWithUnsupportedTransportThrowsEprotonosupport(String endpoint) {
        this.runner.withPropertyValues("zmq.peers.client.linger=0s").run((context) -> {
            ZmqPeer client = context.getBean("client", ZmqPeer.class);
            assertError(ZmqError.EPROTONOSUPPORT, () -> client.connect(endpoint));
            assertThat(client.connections()).isEmpty();
        });
    }

    @Test
    void connectWithUdpThrowsEnocompatproto() {
        this.runner.withPropertyValues("zmq.peers.client.linger=0s").run((context) -> {
            ZmqPeer client = context.getBean("client", ZmqPeer.class);
            // JeroMQ has no udp at all (it would say EPROTONOSUPPORT); the product follows libzmq here
            assertError(ZmqError.ENOCOMPATPROTO, () -> client.connect("udp://127.0.0.1:5555"));
            assertThat(client.connections()).isEmpty();
        });
    }

    @Test
    void connectAfterApplicationContextClosedThrowsEterm() {
        AtomicReference<ZmqPeer> captured = new AtomicReference<>();
        AtomicReference<String> endpoint = new AtomicReference<>();
        AtomicReference<Integer> routingId = new AtomicReference<>();
        this.runner.withPropertyValues("zmq.peers.server.bind[0]=tcp://127.0.0.1:0", "zmq.peers.client.linger=0s")
            .run((context) -> {
                ZmqPeer client = context.getBean("client", ZmqPeer.class);
                endpoint.set(context.getBean("server", ZmqPeer.class).boundEndpoints().get(0));
                routingId.set(client.connect(endpoint.get()));
                captured.set(client);
            });
        ZmqPeer client = captured.get();
        assertThat(client).isNotNull();

        assertError(ZmqError.ETERM, () -> client.connect(endpoint.get()));
        assertError(ZmqError.ETERM, () -> client.send(routingId.get(), "too late"));
        assertError(ZmqError.ETERM, () -> client.receive(Duration.ZERO));
        assertError(ZmqError.ETERM, () -> client.bind("tcp://127.0.0.1:0"));
        assertError(ZmqError.ETERM, () -> client.disconnect(routingId.get()));
    }

    @Test
    void everyCallAfterCloseThrowsEnotsockWhileTheContextLives() {
        this.runner
            .withPropertyValues("zmq.peers.server.bind[0]=inproc://enotsock-server", "zmq.peers.client.linger=0s",
                    "zmq.peers.other.linger=0s")
            .run((context) -> {
                ZmqPeer server = context.getBean("server", ZmqPeer.class);
                ZmqPeer client = context.getBean("client", ZmqPeer.class);
                int serverId = client.connect("inproc://enotsock-server");

                client.close();

                assertError(ZmqError.ENOTSOCK, () -> client.connect("inproc://enotsock-server"));
                assertError(ZmqError.ENOTSOCK, () -> client.connect("tcp://127.0.0.1:5555"));
                assertError(ZmqError.ENOTSOCK, () -> client.send(serverId, "closed"));
                assertError(ZmqError.ENOTSOCK, () -> client.convertAndSend(serverId, "closed"));
                assertError(ZmqError.ENOTSOCK, () -> client.bind("tcp://127.0.0.1:0"));
                assertError(ZmqError.ENOTSOCK, () -> client.disconnect(serverId));
                assertError(ZmqError.ENOTSOCK, () -> client.receive(Duration.ZERO));
                assertError(ZmqError.ENOTSOCK, () -> client.receive(TIMEOUT));

                // the context lives on: another peer still connects and talks
                ZmqPeer other = context.getBean("other", ZmqPeer.class);
                int otherToServer = other.connect("inproc://enotsock-server");
                other.send(otherToServer, "still alive");
                assertThat(text(server.receive(TIMEOUT))).isEqualTo("still alive");
            });
    }

    @Test
    void connectToTcpWithoutIoThreadThrowsEmthreadWhileInprocWorks() {
        this.runner
            .withPropertyValues("zmq.context.io-threads=0", "zmq.peers.server.bind[0]=inproc://emthread-server",
                    "zmq.peers.client.linger=0s")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                ZmqPeer server = context.getBean("server", ZmqPeer.class);
                ZmqPeer client = context.getBean("client", ZmqPeer.class);

                assertError(ZmqError.EMTHREAD, () -> client.connect("tcp://127.0.0.1:5555"));
                assertThat(client.connections()).isEmpty();

                int serverId = client.connect("inproc://emthread-server");
                assertThat(serverId).isNotZero();
                assertThat(client.connections()).containsOnly(entry(serverId, "inproc://emthread-server"));
                client.send(serverId, "no I/O thread needed");
                ZmqPeer.Received received = server.receive(TIMEOUT);
                assertThat(text(received)).isEqualTo("no I/O thread needed");
                server.send(received.routingId(), "nor here");
                ZmqPeer.Received reply = client.receive(TIMEOUT);
                assertThat(text(reply)).isEqualTo("nor here");
                assertThat(reply.routingId()).isEqualTo(serverId);
            });
    }

    @Test
    void connectOnPeerWithImmediateThrowsEfault() {
        this.runner
            .withPropertyValues("zmq.peers.server.bind[0]=tcp://127.0.0.1:0", "zmq.peers.client.immediate=true",
                    "zmq.peers.client.linger=0s")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                ZmqPeer server = context.getBean("server", ZmqPeer.class);
                ZmqPeer client = context.getBean("client", ZmqPeer.class);
                // JeroMQ's connectPeer has no ZMQ_IMMEDIATE check; the product follows libzmq here
                assertError(ZmqError.EFAULT, () -> client.connect(server.boundEndpoints().get(0)));
                assertError(ZmqError.EFAULT, () -> client.connect("inproc://efault"));
                assertThat(client.connections()).isEmpty();
            });
    }

    @Test
    void sendToRoutingIdThatConnectNeverReturnedThrowsEhostunreach() {
        this.runner.withPropertyValues("zmq.peers.server.bind[0]=tcp://127.0.0.1:0", "zmq.peers.client.linger=0s")
            .run((context) -> {
                ZmqPeer server = context.getBean("server", ZmqPeer.class);
                ZmqPeer client = context.getBean("client", ZmqPeer.class);
                assertError(ZmqError.EHOSTUNREACH, () -> client.send(12345, "nobody"));

                int serverId = client.connect(server.boundEndpoints().get(0));
                int unknownId = (serverId == 12345) ? 12346 : 12345;
                assertError(ZmqError.EHOSTUNREACH, () -> client.send(unknownId, "nobody"));
                assertError(ZmqError.EHOSTUNREACH, () -> client.send(unknownId, "nobody".getBytes(StandardCharsets.UTF_8)));
                assertError(ZmqError.EHOSTUNREACH, () -> client.convertAndSend(unknownId, "nobody"));

                // the failed sends left the peer intact
                client.send(serverId, "somebody");
                assertThat(text(server.receive(TIMEOUT))).isEqualTo("somebody");
            });
    }

    @Test
    void sendToRoutingIdAfterDisconnectThrowsEhostunreach() {
        this.runner.withPropertyValues("zmq.peers.server.bind[0]=tcp://127.0.0.1:0", "zmq.peers.client.linger=0s")
            .run((context) -> {
                ZmqPeer server = context.getBean("server", ZmqPeer.class);
                ZmqPeer client = context.getBean("client", ZmqPeer.class);
                int serverId = client.connect(server.boundEndpoints().get(0));
                client.send(serverId, "before");
                assertThat(text(server.receive(TIMEOUT))).isEqualTo("before");

                client.disconnect(serverId);

                // the send may wait for the engine to finish closing the pipe: bound it
                CompletableFuture<Void> send = CompletableFuture.runAsync(() -> client.send(serverId, "after"));
                assertThat(send).failsWithin(TIMEOUT)
                    .withThrowableOfType(ExecutionException.class)
                    .havingCause()
                    .isInstanceOfSatisfying(ZmqException.class,
                            (ex) -> assertThat(ex.error()).isEqualTo(ZmqError.EHOSTUNREACH));
                assertThat(server.receive(QUIET)).isNull();
            });
    }

    @Test
    void disconnectRemovesOnlyThatConnection() {
        this.runner
            .withPropertyValues("zmq.peers.left.bind[0]=tcp://127.0.0.1:0", "zmq.peers.right.bind[0]=tcp://127.0.0.1:0",
                    "zmq.peers.client.linger=0s")
            .run((context) -> {
                ZmqPeer left = context.getBean("left", ZmqPeer.class);
                ZmqPeer right = context.getBean("right", ZmqPeer.class);
                ZmqPeer client = context.getBean("client", ZmqPeer.class);
                String leftEndpoint = left.boundEndpoints().get(0);
                String rightEndpoint = right.boundEndpoints().get(0);
                int leftId = client.connect(leftEndpoint);
                int rightId = client.connect(rightEndpoint);
                assertThat(client.connections()).containsOnlyKeys(leftId, rightId);

                client.disconnect(leftId);
                assertThat(client.connections()).containsOnly(entry(rightId, rightEndpoint));

                client.send(rightId, "still connected");
                assertThat(text(right.receive(TIMEOUT))).isEqualTo("still connected");

                client.disconnect(rightId);
                assertThat(client.connections()).isEmpty();
            });
    }

    @Test
    void disconnectOfUnknownRoutingIdThrowsEhostunreach() {
        this.runner.withPropertyValues("zmq.peers.server.bind[0]=tcp://127.0.0.1:0", "zmq.peers.client.linger=0s")
            .run((context) -> {
                ZmqPeer server = context.getBean("server", ZmqPeer.class);
                ZmqPeer client = context.getBean("client", ZmqPeer.class);
                assertError(ZmqError.EHOSTUNREACH, () -> client.disconnect(12345));

                String endpoint = server.boundEndpoints().get(0);
                int serverId = client.connect(endpoint);
                int unknownId = (serverId == 12345) ? 12346 : 12345;
                assertError(ZmqError.EHOSTUNREACH, () -> client.disconnect(unknownId));
                // a failed disconnect leaves the real connection alone
                assertThat(client.connections()).containsOnly(entry(serverId, endpoint));
                client.send(serverId, "untouched");
                assertThat(text(server.receive(TIMEOUT))).isEqualTo("untouched");
            });
    }

    private static void assertError(ZmqError expected, ThrowingCallable call) {
        assertThatExceptionOfType(ZmqException.class).isThrownBy(call)
            .satisfies((ex) -> assertThat(ex.error()).as(ex.getMessage()).isEqualTo(expected));
    }

    private static String text(ZmqPeer.Received received) {
        assertThat(received).as("a message within " + TIMEOUT).isNotNull();
        return new String(received.payload(), StandardCharsets.UTF_8);
    }
}
