package io.github.zmqboot.internal.transport;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
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
 * counted and logged, and the PEER keeps serving (a real ZWS 2.0 peer still talks to it afterwards). Also the RFC 6455
 * rules a raw peer sees: the server's frames are unmasked, a ping gets a pong with its payload, a close frame a close
 * frame; a connecting socket refuses a masked frame from a server.
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
        }, output, "a text frame");
    }

    @Test
    void aFragmentedFrame(CapturedOutput output) {
        refusedAndStillServing(client -> {
            assertThat(client.upgrade("ZWS2.0/NULL")).contains("101");
            client.frame(RawWebSocketClient.BINARY, new byte[] { 2, 5, 'R', 'E', 'A' }); // FIN bit clear
        }, output, "fragmented");
    }

    @Test
    void anUnmaskedFrameFromAClient(CapturedOutput output) {
        refusedAndStillServing(client -> {
            assertThat(client.upgrade("ZWS2.0/NULL")).contains("101");
            client.unmaskedFrame(RawWebSocketClient.FIN | RawWebSocketClient.BINARY, new byte[] { 0, 'x' });
        }, output, "an unmasked frame from a client");
    }

    @Test
    void theServersFramesAreUnmaskedItAnswersAPingWithAPongAndACloseFrameWithACloseFrame() {
        this.runner.run(context -> {
            ZmqPeer alice = context.getBean("alice", ZmqPeer.class);
            int port = URI.create(alice.boundEndpoints().get(0)).getPort();
            long before = WsRefusals.total();
            try (RawWebSocketClient client = new RawWebSocketClient(port)) {
                assertThat(client.upgrade("ZWS2.0/NULL")).contains("101");
                RawWebSocketClient.Frame ready = client.readFrame();
                assertThat(ready.masked()).as("a server frame is not masked").isFalse();
                assertThat(ready.fin()).isTrue();
                assertThat(ready.opcode()).isEqualTo(RawWebSocketClient.BINARY);
                assertThat(ready.payload()[0]).as("flags: a command").isEqualTo((byte) 2);
                assertThat(new String(ready.payload(), 1, 6, StandardCharsets.US_ASCII)).isEqualTo("\u0005READY");

                client.frame(RawWebSocketClient.FIN | RawWebSocketClient.BINARY, nullReady("PEER"));
                byte[] question = "are you there?".getBytes(StandardCharsets.US_ASCII);
                client.frame(RawWebSocketClient.FIN | RawWebSocketClient.PING, question);
                RawWebSocketClient.Frame pong = client.readFrame();
                assertThat(pong.opcode()).isEqualTo(RawWebSocketClient.PONG);
                assertThat(pong.masked()).isFalse();
                assertThat(pong.payload()).as("the ping's payload").isEqualTo(question);

                client.frame(RawWebSocketClient.FIN | RawWebSocketClient.CLOSE, new byte[] { 0x03, (byte) 0xE8 });
                RawWebSocketClient.Frame close = client.readFrame();
                assertThat(close.opcode()).isEqualTo(RawWebSocketClient.CLOSE);
                assertThat(close.payload()).as("status 1000 echoed").containsExactly(0x03, 0xE8);
                assertThat(client.closedByServer()).isTrue();
            }
            assertThat(WsRefusals.total()).as("a close after the handshake is no refusal").isEqualTo(before);
            exchange(context.getBean("bob", ZmqPeer.class), alice);
        });
    }

    @Test
    void aMaskedFrameFromTheServerIsRefusedByTheConnectingSide(CapturedOutput output) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout((int) TIMEOUT.toMillis());
            this.runner.withPropertyValues("zmq.peers.bob.reconnect-interval=1h").run(context -> {
                long before = WsRefusals.total();
                context.getBean("bob", ZmqPeer.class).connect("ws://127.0.0.1:" + server.getLocalPort() + "/peer");
                try (Socket accepted = server.accept()) {
                    accepted.setSoTimeout((int) TIMEOUT.toMillis());
                    String request = RawWebSocketClient.readHead(accepted.getInputStream());
                    String key = request.lines()
                        .filter(line -> line.toLowerCase(Locale.ROOT).startsWith("sec-websocket-key:"))
                        .map(line -> line.substring(line.indexOf(':') + 1).trim())
                        .findFirst()
                        .orElseThrow();
                    String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                        .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII)));
                    OutputStream out = accepted.getOutputStream();
                    out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            + "Sec-WebSocket-Accept: " + accept + "\r\nSec-WebSocket-Protocol: ZWS2.0/NULL\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                    byte[] ready = nullReady("PEER");
                    byte[] masked = new byte[ready.length];
                    for (int i = 0; i < ready.length; i++) {
                        masked[i] = (byte) (ready[i] ^ (i + 1));
                    }
                    out.write(new byte[] { (byte) 0x82, (byte) (0x80 | ready.length), 1, 2, 3, 4 });
                    out.write(masked);
                    out.flush();
                    assertThat(RawWebSocketClient.closedByPeer(accepted)).as("closed by the client").isTrue();
                }
                await().atMost(TIMEOUT).until(() -> WsRefusals.total() > before);
                assertThat(output).contains("a masked frame from the server");
            });
        }
    }

    /** A ZWS frame's payload: the NULL mechanism's READY command (ZMTP 3.1) for {@code socketType}. */
    private static byte[] nullReady(String socketType) {
        ByteBuffer command = ByteBuffer.allocate(64);
        command.put((byte) 2).put((byte) 5).put("READY".getBytes(StandardCharsets.US_ASCII));
        command.put((byte) 11).put("Socket-Type".getBytes(StandardCharsets.US_ASCII));
        command.putInt(socketType.length()).put(socketType.getBytes(StandardCharsets.US_ASCII));
        return Arrays.copyOf(command.array(), command.position());
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
