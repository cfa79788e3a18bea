package io.github.zmqboot.internal.transport;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.time.Duration;
import java.util.List;

import io.github.zmqboot.internal.context.ZmqContextManager;
import io.github.zmqboot.convert.ZmqPayloadConverter;
import io.github.zmqboot.core.ZmqError;
import io.github.zmqboot.core.ZmqException;
import io.github.zmqboot.core.ZmqSocket;
import io.github.zmqboot.internal.engine.ManagedSocket;
import io.github.zmqboot.internal.engine.SocketOptions;
import io.github.zmqboot.internal.engine.ZmqSocketFactory;
import io.github.zmqboot.internal.socket.ZmqSockets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZMsg;
import zmq.Msg;
import zmq.ZMQ;
import zmq.io.Metadata;

import org.springframework.messaging.converter.JacksonJsonMessageConverter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * tcp on the project's listener, connecter and engine keeps what JeroMQ's tcp gave: a bound endpoint resolved as the
 * engine writes it ({@code :*} and {@code :0} become the port, a host name its address), {@code ZMQ_LAST_ENDPOINT},
 * {@code EADDRINUSE} for a port taken, a connect by host name, IPv6 with {@code ipv6}, and the remote address in each
 * message's metadata (what ZAP handlers see).
 */
@Timeout(60)
class TcpTransportTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

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

    @Test
    void aBoundEndpointIsResolvedAsTheEngineWritesIt() {
        ZmqSocket pull = this.sockets.createZmqSocket("pull", SocketType.PULL, SocketOptions.NONE);
        assertThat(pull.bind("tcp://127.0.0.1:*")).matches("tcp://127\\.0\\.0\\.1:[1-9][0-9]*");
        assertThat(pull.bind("tcp://127.0.0.1:0")).matches("tcp://127\\.0\\.0\\.1:[1-9][0-9]*");
        assertThat(pull.bind("tcp://localhost:*")).matches("tcp://127\\.0\\.0\\.1:[1-9][0-9]*");
        assertThat(pull.boundEndpoints()).hasSize(3).doesNotHaveDuplicates();

        ManagedSocket managed = this.factory.createSocket("managed", SocketType.PULL, SocketOptions.NONE);
        long stamp = managed.enter();
        try {
            String bound = managed.bind("tcp://127.0.0.1:*");
            assertThat(managed.base().getSocketOptx(ZMQ.ZMQ_LAST_ENDPOINT)).isEqualTo(bound);
        }
        finally {
            managed.exit(stamp);
        }
    }

    @Test
    void aPortTakenIsEaddrinuse() {
        ZmqSocket first = this.sockets.createZmqSocket("first", SocketType.PULL, SocketOptions.NONE);
        String endpoint = first.bind("tcp://127.0.0.1:*");
        ZmqSocket second = this.sockets.createZmqSocket("second", SocketType.PULL, SocketOptions.NONE);
        assertThatThrownBy(() -> second.bind(endpoint)).isInstanceOf(ZmqException.class)
            .extracting(failure -> ((ZmqException) failure).error())
            .isEqualTo(ZmqError.EADDRINUSE);
    }

    @Test
    void aConnectByHostNameCarriesMessagesWithThePeerAddressInTheirMetadata() {
        ManagedSocket pull = this.factory.createSocket("pull", SocketType.PULL, SocketOptions.NONE);
        String bound;
        long stamp = pull.enter();
        try {
            bound = pull.bind("tcp://127.0.0.1:*");
        }
        finally {
            pull.exit(stamp);
        }
        ZmqSocket push = this.sockets.createZmqSocket("push", SocketType.PUSH, SocketOptions.NONE);
        push.connect("tcp://localhost:" + bound.substring(bound.lastIndexOf(':') + 1));
        push.send("by name");

        stamp = pull.enter();
        try {
            pull.base().setSocketOpt(ZMQ.ZMQ_RCVTIMEO, (int) WAIT.toMillis());
            Msg msg = pull.base().recv(0);
            assertThat(msg).isNotNull();
            assertThat(new String(msg.data())).isEqualTo("by name");
            assertThat(msg.getMetadata().get(Metadata.PEER_ADDRESS)).startsWith("127.0.0.1:");
        }
        finally {
            pull.exit(stamp);
        }
    }

    @Test
    void ipv6CarriesMessagesOverTheIpv6Loopback() throws Exception {
        assumeThat(ipv6Loopback()).as("an IPv6 loopback address").isTrue();
        SocketOptions ipv6 = new SocketOptions(null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, true, null, null, null);
        ZmqSocket pull = this.sockets.createZmqSocket("pull", SocketType.PULL, ipv6);
        String bound = pull.bind("tcp://[::1]:*");
        assertThat(bound).matches("tcp://\\[[0:]+1\\]:[1-9][0-9]*");
        ZmqSocket push = this.sockets.createZmqSocket("push", SocketType.PUSH, ipv6);
        push.connect(bound);
        push.send("over IPv6");
        ZMsg received = pull.receive(WAIT);
        assertThat(received).isNotNull();
        assertThat(received.popString()).isEqualTo("over IPv6");
    }

    private static boolean ipv6Loopback() throws Exception {
        NetworkInterface loopback = NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress());
        return loopback != null && loopback.inetAddresses()
            .anyMatch(address -> address instanceof Inet6Address && address.isLoopbackAddress());
    }
}
