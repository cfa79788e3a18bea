package io.github.zmqboot.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;

import io.github.zmqboot.autoconfigure.ZmqAutoConfiguration;
import io.github.zmqboot.core.ZmqPeer;
import io.github.zmqboot.interop.SelfSignedCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Bad input on ws and wss endpoints, sent by a raw socket as an attacker would: each closes that connection, is
 * counted and logged, and the PEER keeps serving (a real ZWS 2.0 peer still talks to it afterwards).
 */
@ExtendWith(OutputCaptureExtension.class)
class WsTransportTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ZmqAutoConfiguration.class, SslAutoConfiguration.class))
        .withPropertyValues("zmq.defaults.linger=0", "zmq.peers.alice.bind[0]=ws://127.0.0.1:0/peer",
                "zmq.peers.alice.max-message-size=1048576", "zmq.peers.alice.handshake-interval=1s",
                "zmq.peers.bob.linger=0");

    @TempDir
    Path dir;

    interface Attack {
        void on(RawWebSocketClient client) throws IOException;
    }

    @Test
    void plainHttpWithoutUpgrade(CapturedOutput output) {
        refusedAndStillServing(client -> client.send("GET /peer HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII)), output, "without 'Upgrade: websocket'");
    }

    @Test
    void aSubprotocolOtherThanZws(CapturedOutput output) {
        refusedAndStillServing(client -> client.upgrade("chat"), output, "subprotocol");
    }

    @Test
    void aTextFrame(CapturedOutput output) {
        refusedAndStillServing(client -> {
            assertThat(client.upgrade("ZWS2.0/NULL")).contains("101");
            client.frame(RawWebSocketClient.FIN | RawWebSocketClient.TEXT, "hello".getBytes(StandardCharsets.UTF_8));
        }, output, "TextWebSocketFrame");
    }

    @Test
    void aFragmentedFrame(CapturedOutput output) {
        refusedAndStillServing(client -> {
            assertThat(client.upgrade("ZWS2.0/NULL")).contains("101");
            client.frame(RawWebSocketClient.BINARY, new byte[] { 2, 5, 'R', 'E', 'A' }); // FIN bit clear
        }, output, "fragmented");
    }

    @Test
    void aFrameLargerThanMaxMessageSizeIsRefusedBeforeItsPayloadArrives(CapturedOutput output) {
        refusedAndStillServing(client -> {
            assertThat(client.upgrade("ZWS2.0/NULL")).contains("101");
            client.announce(100L * 1024 * 1024);
        }, output, "Closed a connection");
    }

    @Test
    void theCve20196250SizeInsideAZwsFrame(CapturedOutput output) {
        refusedAndStillServing(client -> {
            assertThat(client.upgrade("ZWS2.0/NULL")).contains("101");
            client.announce(0xFFFFFFFFFFFFFFFFL);
        }, output, "Closed a connection");
    }

    @Test
    void garbageAfterTheUpgrade(CapturedOutput output) {
        byte[] garbage = new byte[4096];
        new Random(6250).nextBytes(garbage);
        garbage[0] = (byte) 0x7F; // RSV bits set, opcode 0xF: invalid in RFC 6455 (libzmq keeps such a connection)
        refusedAndStillServing(client -> {
            assertThat(client.upgrade("ZWS2.0/NULL")).contains("101");
            client.send(garbage);
        }, output, "Closed a connection");
    }

    @Test
    void anUpgradeThatNeverCompletesIsClosedAfterTheHandshakeInterval(CapturedOutput output) {
        refusedAndStillServing(client -> client.send("GET /peer HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII)),
                output, "handshake-interval");
    }

    @Test
    void aTlsClientThatNeverFinishesItsHandshake(CapturedOutput output) throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.generate(this.dir);
        this.runner.withPropertyValues(certificate.bundleProperties("test"))
            .withPropertyValues("zmq.peers.secure.bind[0]=wss://127.0.0.1:0/peer", "zmq.peers.secure.ssl-bundle=test",
                    "zmq.peers.secure.handshake-interval=500ms", "zmq.peers.client.ssl-bundle=test")
            .run(context -> {
                ZmqPeer secure = context.getBean("secure", ZmqPeer.class);
                int port = URI.create(secure.boundEndpoints().get(0)).getPort();
                long before = WsRefusals.total();
                try (Socket silent = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    silent.getOutputStream().write(new byte[] { 0x16, 0x03, 0x01 }); // the start of a ClientHello
                    silent.setSoTimeout((int) TIMEOUT.toMillis());
                    assertThat(silent.getInputStream().read()).as("closed by the server").isEqualTo(-1);
                }
                assertThat(WsRefusals.total()).isGreaterThan(before);
                assertThat(output).contains("handshake-interval");
                exchange(context.getBean("client", ZmqPeer.class), secure);
            });
    }

    @Test
    void refusalsAreLoggedOncePerRemoteAddressAndMinuteAndAllCounted(CapturedOutput output) {
        this.runner.run(context -> {
            int port = URI.create(context.getBean("alice", ZmqPeer.class).boundEndpoints().get(0)).getPort();
            long before = WsRefusals.total();
            for (int i = 0; i < 3; i++) {
                try (RawWebSocketClient client = new RawWebSocketClient(port)) {
                    assertThat(client.upgrade("ZWS2.0/NULL")).contains("101");
                    client.frame(RawWebSocketClient.FIN | RawWebSocketClient.TEXT, new byte[] { 'x' });
                    assertThat(client.closedByServer()).isTrue();
                }
            }
            await().atMost(TIMEOUT).until(() -> WsRefusals.total() - before == 3);
            assertThat(output.toString().split("Closed a connection from 127.0.0.1", -1)).hasSize(2);
        });
    }

    private void refusedAndStillServing(Attack attack, CapturedOutput output, String logged) {
        this.runner.run(context -> {
            ZmqPeer alice = context.getBean("alice", ZmqPeer.class);
            int port = URI.create(alice.boundEndpoints().get(0)).getPort();
            long before = WsRefusals.total();
            try (RawWebSocketClient client = new RawWebSocketClient(port)) {
                attack.on(client);
                assertThat(client.closedByServer()).as("the server closed the connection").isTrue();
            }
            assertThat(WsRefusals.total()).as("refusals counted").isGreaterThan(before);
            assertThat(output).contains(logged);
            exchange(context.getBean("bob", ZmqPeer.class), alice);
        });
    }

    /** A real peer still gets through, both ways. */
    private static void exchange(ZmqPeer client, ZmqPeer server) {
        int serverId = client.connect(server.boundEndpoints().get(0).replace("0.0.0.0", "127.0.0.1"));
        client.send(serverId, "still there?");
        ZmqPeer.Received request = server.receive(TIMEOUT);
        assertThat(request).isNotNull();
        assertThat(request.payload()).asString(StandardCharsets.UTF_8).isEqualTo("still there?");
        server.send(request.routingId(), "yes");
        assertThat(client.receive(TIMEOUT).payload()).asString(StandardCharsets.UTF_8).isEqualTo("yes");
    }
}
