package io.github.zmqboot.internal.security;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import io.github.zmqboot.autoconfigure.InvalidZmqPropertyException;
import io.github.zmqboot.autoconfigure.ZmqAutoConfiguration;
import io.github.zmqboot.core.ZmqPeer;
import io.github.zmqboot.core.SocketEvent;
import io.github.zmqboot.internal.engine.ZmqSocketFactory;
import io.github.zmqboot.testing.QuietOutputCaptureExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.ExtendWith;
import org.zeromq.ZCert;
import org.zeromq.ZMQ;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;

import static io.github.zmqboot.internal.security.TestCurveKeys.keyPair;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * CURVE security from properties ({@code zmq.peers.<name>.curve}), over real tcp connections: a client that knows
 * the server's public key talks to the server; one with another server key is refused in the handshake; a server
 * that lists its clients admits only those (the context's ZAP handler); keys can come from ZCert certificate files;
 * and every wrong setting fails startup naming its property, without ever showing a secret key.
 */
@ExtendWith(QuietOutputCaptureExtension.class)
class CurveSecurityTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static final Duration PROBE_INTERVAL = Duration.ofMillis(100);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ZmqAutoConfiguration.class))
        .withPropertyValues("zmq.defaults.linger=0", "zmq.peers.server.bind[0]=tcp://127.0.0.1:0",
                "zmq.peers.server.curve.server=true");

    private final ZMQ.Curve.KeyPair serverKeys = keyPair();

    private final ZMQ.Curve.KeyPair clientKeys = keyPair();

    @Test
    void aClientThatKnowsTheServerKeyTalksToTheServer() {
        this.runner.withPropertyValues(props(serverSecret(this.serverKeys), clientKeys("client", this.clientKeys),
                "zmq.peers.client.curve.server-key=" + this.serverKeys.publicKey)).run(context -> {
                    ZmqPeer server = context.getBean("server", ZmqPeer.class);
                    ZmqPeer client = context.getBean("client", ZmqPeer.class);

                    ZmqPeer.Received request = exchange(client, server);
                    assertThat(text(request.payload())).startsWith("probe");
                    server.send(request.routingId(), "welcome");
                    ZmqPeer.Received reply = client.receive(TIMEOUT);
                    assertThat(reply).isNotNull();
                    assertThat(text(reply.payload())).isEqualTo("welcome");
                });
    }

    @Test
    void aClientWithAnotherServerKeyIsRefusedInTheHandshake() {
        ZMQ.Curve.KeyPair impostor = keyPair();
        this.runner.withPropertyValues(props(serverSecret(this.serverKeys), clientKeys("client", this.clientKeys),
                "zmq.peers.client.curve.server-key=" + impostor.publicKey)).run(context -> {
                    List<SocketEvent> events = recordEvents(context);
                    ZmqPeer server = context.getBean("server", ZmqPeer.class);
                    ZmqPeer client = context.getBean("client", ZmqPeer.class);

                    int routingId = client.connect(server.boundEndpoints().get(0));
                    client.send(routingId, "let me in");
                    await().atMost(TIMEOUT).until(() -> handshakeFailures(events, "server") > 0);
                    assertThat(server.receive(Duration.ZERO)).as("nothing got through").isNull();
                });
    }

    @Test
    void aServerThatListsItsClientsAdmitsOnlyThose() {
        ZMQ.Curve.KeyPair stranger = keyPair();
        this.runner.withPropertyValues(props(serverSecret(this.serverKeys),
                "zmq.peers.server.curve.allowed-clients[0]=" + this.clientKeys.publicKey,
                clientKeys("listed", this.clientKeys), "zmq.peers.listed.curve.server-key=" + this.serverKeys.publicKey,
                clientKeys("stranger", stranger), "zmq.peers.stranger.curve.server-key=" + this.serverKeys.publicKey))
            .run(context -> {
                List<SocketEvent> events = recordEvents(context);
                ZmqPeer server = context.getBean("server", ZmqPeer.class);

                ZmqPeer.Received fromListed = exchange(context.getBean("listed", ZmqPeer.class), server);
                assertThat(text(fromListed.payload())).startsWith("probe");

                ZmqPeer unlisted = context.getBean("stranger", ZmqPeer.class);
                int routingId = unlisted.connect(server.boundEndpoints().get(0));
                unlisted.send(routingId, "let me in");
                // the ZAP handler's 400 reaches the client as an ERROR command, and JeroMQ reports it there only;
                // the server reports it too, as libzmq does (HANDSHAKE_FAILED_AUTH with the status code)
                // (a handshake that timed out, after a stalled connect, would be a failure of another detail)
                for (String socket : List.of("stranger", "server")) {
                    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(events)
                        .filteredOn(event -> event.socket().equals(socket))
                        .filteredOn(event -> event.kind() == SocketEvent.Kind.HANDSHAKE_FAILED)
                        .extracting(SocketEvent::detail)
                        .as("the handshake failures of %s", socket)
                        .contains(400));
                }
                // the listed client's probes may still be queued (it probes until one arrives): none is the stranger's
                for (ZmqPeer.Received left = server.receive(Duration.ZERO); left != null;
                        left = server.receive(Duration.ZERO)) {
                    assertThat(text(left.payload())).as("nothing of the stranger got through").startsWith("probe");
                }
            });
    }

    @Test
    void aRefusedClientThatKeepsReconnectingIsLoggedOnceAMinuteNotOncePerAttempt(CapturedOutput output) {
        ZMQ.Curve.KeyPair stranger = keyPair();
        this.runner.withPropertyValues(props(serverSecret(this.serverKeys),
                "zmq.peers.server.curve.allowed-clients[0]=" + this.clientKeys.publicKey,
                clientKeys("stranger", stranger), "zmq.peers.stranger.curve.server-key=" + this.serverKeys.publicKey))
            .run(context -> {
                List<SocketEvent> events = recordEvents(context);
                ZmqPeer server = context.getBean("server", ZmqPeer.class);
                ZmqPeer unlisted = context.getBean("stranger", ZmqPeer.class);
                // JeroMQ's CURVE client gives up after a refusal (libzmq's retries): each attempt is a new connect,
                // from a new port, as a client that keeps reconnecting makes them
                int attempts = 10;
                for (int i = 0; i < attempts; i++) {
                    unlisted.send(unlisted.connect(server.boundEndpoints().get(0)), "let me in");
                }
                await("the stranger refused " + attempts + " times").atMost(TIMEOUT)
                    .until(() -> events.stream().filter(event -> event.socket().equals("server")
                            && event.kind() == SocketEvent.Kind.HANDSHAKE_FAILED && event.detail() == 400).count(),
                            refusals -> refusals >= attempts);

                List<String> refusalLines = output.getOut().lines()
                    .filter(line -> line.contains("Refused a CURVE client of ZAP domain 'server'"))
                    .toList();
                assertThat(refusalLines).as("ZAP denials logged for %d attempts", attempts).hasSize(1);
                assertThat(refusalLines.get(0)).contains("INFO").contains("from 127.0.0.1 with public key "
                        + stranger.publicKey);
                assertThat(output.getOut().lines().filter(line -> line.contains("Socket 'stranger'")))
                    .as("the refused client's own lines").hasSizeLessThanOrEqualTo(1)
                    .allSatisfy(line -> assertThat(line).contains("refused this socket's credentials (ZAP status 400)"));
            });
    }

    @Test
    void aKeyThatLooksLikeAPlaceholderWithADefaultIsWrittenWithABackslashBeforeIt() {
        String key = "0123456789${abc:defg}0123456789abcdefghi"; // 40 Z85 characters
        assertThat(key).hasSize(40);
        // as it is, Spring reads "${abc:defg}" as a placeholder with the default "defg": the key loses 7 characters
        this.runner.withPropertyValues(serverSecret(this.serverKeys), "zmq.peers.server.curve.allowed-clients[0]=" + key)
            .run(context -> assertStartupFailure(context, "zmq.peers.server.curve.allowed-clients[0]", null));
        // escaped as the README says, it is bound as written
        this.runner.withPropertyValues(serverSecret(this.serverKeys),
                "zmq.peers.server.curve.allowed-clients[0]=" + key.replace("${", "\\${"))
            .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void keysComeFromZCertCertificateFiles(@TempDir Path directory) throws Exception {
        ZCert serverCert = new ZCert();
        ZCert clientCert = new ZCert();
        Path serverPublic = Path.of(serverCert.savePublic(directory.resolve("server.cert").toString()).getPath());
        Path serverSecret = Path.of(serverCert.saveSecret(directory.resolve("server.cert_secret").toString()).getPath());
        Path clientPublic = Path.of(clientCert.savePublic(directory.resolve("client.cert").toString()).getPath());
        Path clientSecret = Path.of(clientCert.saveSecret(directory.resolve("client.cert_secret").toString()).getPath());
        this.runner.withPropertyValues("zmq.peers.server.curve.secret-key-file=" + serverSecret,
                "zmq.peers.server.curve.allowed-clients[0]=" + clientCert.getPublicKeyAsZ85(),
                "zmq.peers.client.curve.public-key-file=" + clientPublic,
                "zmq.peers.client.curve.secret-key-file=" + clientSecret,
                "zmq.peers.client.curve.server-key-file=" + serverPublic).run(context -> {
                    ZmqPeer.Received request = exchange(context.getBean("client", ZmqPeer.class),
                            context.getBean("server", ZmqPeer.class));
                    assertThat(text(request.payload())).startsWith("probe");
                });
    }

    @Test
    void aServerWithoutItsSecretKeyFailsStartupNamingTheProperty() {
        this.runner.run(context -> assertStartupFailure(context, "zmq.peers.server.curve.secret-key", null));
    }

    @Test
    void aMalformedSecretKeyFailsStartupWithoutShowingTheKey() {
        String wrong = this.serverKeys.secretKey.substring(1);
        this.runner.withPropertyValues("zmq.peers.server.curve.secret-key=" + wrong)
            .run(context -> assertStartupFailure(context, "zmq.peers.server.curve.secret-key", wrong));
    }

    @Test
    void aSecretKeyOutsideTheZ85AlphabetFailsStartupWithoutShowingTheKey() {
        String wrong = "~" + this.serverKeys.secretKey.substring(1);
        this.runner.withPropertyValues("zmq.peers.server.curve.secret-key=" + wrong)
            .run(context -> assertStartupFailure(context, "zmq.peers.server.curve.secret-key", wrong));
    }

    @Test
    void aClientWithoutTheServerKeyFailsStartupNamingTheProperty() {
        this.runner.withPropertyValues(props(serverSecret(this.serverKeys), clientKeys("client", this.clientKeys)))
            .run(context -> assertStartupFailure(context, "zmq.peers.client.curve.server-key", null));
    }

    @Test
    void aMalformedAllowedClientKeyFailsStartupNamingItsIndex() {
        this.runner.withPropertyValues(serverSecret(this.serverKeys),
                "zmq.peers.server.curve.allowed-clients[0]=" + this.clientKeys.publicKey,
                "zmq.peers.server.curve.allowed-clients[1]=not-a-key")
            .run(context -> assertStartupFailure(context, "zmq.peers.server.curve.allowed-clients[1]", null));
    }

    @Test
    void aMissingKeyFileFailsStartupNamingTheProperty(@TempDir Path directory) {
        this.runner.withPropertyValues("zmq.peers.server.curve.secret-key-file=" + directory.resolve("absent"))
            .run(context -> assertStartupFailure(context, "zmq.peers.server.curve.secret-key-file", null));
    }

    @Test
    void aKeyGivenInlineAndAsAFileFailsStartup(@TempDir Path directory) throws Exception {
        Path file = Path.of(new ZCert().saveSecret(directory.resolve("server.cert_secret").toString()).getPath());
        this.runner.withPropertyValues(serverSecret(this.serverKeys), "zmq.peers.server.curve.secret-key-file=" + file)
            .run(context -> assertStartupFailure(context, "zmq.peers.server.curve.secret-key",
                    this.serverKeys.secretKey));
    }

    /** Sends probes from {@code client} until {@code server} got one (a fresh tcp connect can stall); returns it. */
    private static ZmqPeer.Received exchange(ZmqPeer client, ZmqPeer server) {
        int routingId = client.connect(server.boundEndpoints().get(0));
        AtomicInteger probes = new AtomicInteger();
        return await().atMost(TIMEOUT).pollInterval(PROBE_INTERVAL).until(() -> {
            client.send(routingId, "probe " + probes.incrementAndGet());
            return server.receive(PROBE_INTERVAL);
        }, received -> received != null);
    }

    private static List<SocketEvent> recordEvents(AssertableApplicationContext context) {
        List<SocketEvent> events = new CopyOnWriteArrayList<>();
        context.getBean(ZmqSocketFactory.class).socketMonitor().addListener(events::add);
        return events;
    }

    private static long handshakeFailures(List<SocketEvent> events, String socket) {
        return events.stream()
            .filter(event -> event.socket().equals(socket) && event.kind() == SocketEvent.Kind.HANDSHAKE_FAILED)
            .count();
    }

    private static void assertStartupFailure(AssertableApplicationContext context, String property, String secret) {
        assertThat(context).hasFailed();
        Throwable failure = context.getStartupFailure();
        InvalidZmqPropertyException cause = null;
        for (Throwable candidate = failure; candidate != null; candidate = candidate.getCause()) {
            if (candidate instanceof InvalidZmqPropertyException invalid) {
                cause = invalid;
            }
        }
        assertThat(cause).as("an InvalidZmqPropertyException in %s", failure).isNotNull();
        assertThat(cause.property()).isEqualTo(property);
        if (secret != null) {
            for (Throwable candidate = failure; candidate != null; candidate = candidate.getCause()) {
                assertThat(String.valueOf(candidate.getMessage())).doesNotContain(secret);
            }
        }
    }

    /** Property values, given one by one or as arrays. */
    private static String[] props(Object... parts) {
        return Arrays.stream(parts)
            .flatMap(part -> part instanceof String[] many ? Arrays.stream(many) : Stream.of((String) part))
            .toArray(String[]::new);
    }

    private static String serverSecret(ZMQ.Curve.KeyPair keys) {
        return "zmq.peers.server.curve.secret-key=" + keys.secretKey;
    }

    private static String[] clientKeys(String peer, ZMQ.Curve.KeyPair keys) {
        return new String[] { "zmq.peers." + peer + ".curve.public-key=" + keys.publicKey,
                "zmq.peers." + peer + ".curve.secret-key=" + keys.secretKey };
    }

    private static String text(byte[] payload) {
        return new String(payload, StandardCharsets.UTF_8);
    }
}
