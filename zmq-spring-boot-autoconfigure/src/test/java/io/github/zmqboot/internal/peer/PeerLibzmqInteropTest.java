package io.github.zmqboot.internal.peer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import io.github.zmqboot.annotation.RoutingId;
import io.github.zmqboot.annotation.ZmqListener;
import io.github.zmqboot.autoconfigure.ZmqAutoConfiguration;
import io.github.zmqboot.core.ZmqPeer;
import io.github.zmqboot.interop.NativePeer;
import io.github.zmqboot.interop.SelfSignedCertificate;
import io.github.zmqboot.internal.security.TestCurveKeys;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.zeromq.ZMQ;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PEER beans and native libzmq PEER sockets ({@code zmq_connect_peer} of a libzmq built with the draft API; see
 * {@link NativePeer}) in both directions, many messages each, over every transport both have, and with CURVE over
 * tcp, ws and wss (keys from {@code zmq.peers.<name>.curve.*} on the bean's side, libzmq's {@code ZMQ_CURVE_*}
 * options on the native side). Skipped where
 * {@code LIBZMQ_DRAFT} names no such library, or one without the transport.
 */
class PeerLibzmqInteropTest {

    private static final int MESSAGES = 200;

    /** Long enough for a fresh connect that stalls until the handshake interval and reconnects. */
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** The SSL bundle of the wss tests: the generated certificate, its key, and the certificate as trust. */
    private static final String SSL_BUNDLE = "interop";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ZmqAutoConfiguration.class, SslAutoConfiguration.class));

    /**
     * The transports under test: how a PEER bean binds, how a native PEER binds (a port or path of {@code *} picks
     * a free one), and whether TLS is on (a certificate for 127.0.0.1 and localhost, generated per test, as SSL
     * bundle {@value #SSL_BUNDLE} for the beans' {@code ssl-bundle} and as PEM files for the native side), and
     * whether CURVE is on (fresh key pairs per test; the binding side is the CURVE server).
     */
    static Stream<Transport> transports() {
        return Stream.of(new Transport("tcp", "tcp://127.0.0.1:0", "tcp://127.0.0.1:*", false, false),
                new Transport("ipc", "ipc://*", "ipc://*", false, false),
                new Transport("ws", "ws://127.0.0.1:0/peer", "ws://127.0.0.1:*/peer", false, false),
                new Transport("wss", "wss://127.0.0.1:0/peer", "wss://127.0.0.1:*/peer", true, false),
                new Transport("tcp+curve", "tcp://127.0.0.1:0", "tcp://127.0.0.1:*", false, true),
                new Transport("ws+curve", "ws://127.0.0.1:0/peer", "ws://127.0.0.1:*/peer", false, true),
                new Transport("wss+curve", "wss://127.0.0.1:0/peer", "wss://127.0.0.1:*/peer", true, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void nativePeersConnectToAPeerBeanThatAnswersAndPushesToTheirRoutingIds(Transport transport,
            @TempDir Path folder) throws Exception {
        NativePeer.assumeAvailable(transport.nativeBind());
        SelfSignedCertificate certificate = transport.tls() ? SelfSignedCertificate.generate(folder) : null;
        ZMQ.Curve.KeyPair serverKeys = transport.curve() ? TestCurveKeys.keyPair() : null;
        ZMQ.Curve.KeyPair clientKeys = transport.curve() ? TestCurveKeys.keyPair() : null;
        this.runner.withBean(PongServer.class)
            .withPropertyValues("zmq.peers.server.bind[0]=" + transport.beanBind(), "zmq.peers.server.linger=0")
            .withPropertyValues(tlsProperties("server", certificate))
            .withPropertyValues(curveServerProperties("server", serverKeys))
            .run((context) -> {
                String endpoint = context.getBean("server", ZmqPeer.class).boundEndpoints().get(0);
                // libzmq checks the name (DNS SAN), the beans' own connects check 127.0.0.1 (IP SAN)
                String[] options = (certificate != null)
                        ? NativePeer.wssClientOptions(certificate.certificate(), "localhost") : new String[0];
                if (serverKeys != null) {
                    options = concat(options, NativePeer.curveClientOptions(clientKeys.publicKey,
                            clientKeys.secretKey, serverKeys.publicKey));
                }

                String output = NativePeer.connect(endpoint, MESSAGES, options);

                assertThat(output).contains("PASS native_peer_connect_to_jeromq_peer_bind: " + MESSAGES
                        + " ping/pong x2 sockets + 5 server pushes");
                PongServer server = context.getBean(PongServer.class);
                assertThat(server.pings).hasValue(2 * MESSAGES);
                assertThat(server.pushRequests).hasValue(1);
            });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void aPeerBeanConnectsToANativePeerThatBindsAndGetsEveryAnswerFromItsRoutingId(Transport transport,
            @TempDir Path folder) throws Exception {
        NativePeer.assumeAvailable(transport.nativeBind());
        SelfSignedCertificate certificate = transport.tls() ? SelfSignedCertificate.generate(folder) : null;
        ZMQ.Curve.KeyPair serverKeys = transport.curve() ? TestCurveKeys.keyPair() : null;
        ZMQ.Curve.KeyPair clientKeys = transport.curve() ? TestCurveKeys.keyPair() : null;
        String[] options = (certificate != null)
                ? NativePeer.wssServerOptions(certificate.certificate(), certificate.privateKey()) : new String[0];
        if (serverKeys != null) {
            options = concat(options, NativePeer.curveServerOptions(serverKeys.secretKey));
        }
        try (NativePeer nativePeer = NativePeer.bind(transport.nativeBind(), MESSAGES, options)) {
            this.runner.withPropertyValues("zmq.peers.client.linger=0")
                .withPropertyValues(tlsProperties("client", certificate))
                .withPropertyValues(curveClientProperties("client", clientKeys, serverKeys))
                .run((context) -> {
                    ZmqPeer client = context.getBean("client", ZmqPeer.class);
                    int routingId = client.connect(nativePeer.endpoint());

                    for (int i = 0; i < MESSAGES; i++) {
                        client.send(routingId, "ping:" + i);
                        ZmqPeer.Received answer = client.receive(TIMEOUT);
                        assertThat(answer).as("answer to ping %d", i).isNotNull();
                        assertThat(answer.routingId()).isEqualTo(routingId);
                        assertThat(new String(answer.payload(), StandardCharsets.UTF_8))
                            .startsWith("pong:" + i + ":rid=");
                    }
                    client.send(routingId, "bye");

                    assertThat(nativePeer.awaitPass())
                        .contains("PASS jeromq_peer_connect_to_native_peer_bind: answered " + MESSAGES + " pings");
                });
        }
    }

    /** The SSL bundle of {@code certificate} and the peer's {@code ssl-bundle} naming it; none without TLS. */
    private static String[] tlsProperties(String peer, SelfSignedCertificate certificate) {
        if (certificate == null) {
            return new String[0];
        }
        return Stream.concat(Stream.of(certificate.bundleProperties(SSL_BUNDLE)),
                Stream.of("zmq.peers." + peer + ".ssl-bundle=" + SSL_BUNDLE))
            .toArray(String[]::new);
    }

    private static String[] concat(String[] first, String[] second) {
        return Stream.concat(Stream.of(first), Stream.of(second)).toArray(String[]::new);
    }

    /** A CURVE server peer's properties with {@code keys}' secret key; none without CURVE. */
    private static String[] curveServerProperties(String peer, ZMQ.Curve.KeyPair keys) {
        if (keys == null) {
            return new String[0];
        }
        return new String[] { "zmq.peers." + peer + ".curve.server=true",
                "zmq.peers." + peer + ".curve.secret-key=" + keys.secretKey };
    }

    /** A CURVE client peer's properties: its key pair and the server's public key; none without CURVE. */
    private static String[] curveClientProperties(String peer, ZMQ.Curve.KeyPair keys, ZMQ.Curve.KeyPair server) {
        if (keys == null) {
            return new String[0];
        }
        return new String[] { "zmq.peers." + peer + ".curve.public-key=" + keys.publicKey,
                "zmq.peers." + peer + ".curve.secret-key=" + keys.secretKey,
                "zmq.peers." + peer + ".curve.server-key=" + server.publicKey };
    }

    /**
     * A transport as both sides spell its endpoints.
     * @param name the test's display name
     * @param beanBind what a PEER bean binds
     * @param nativeBind what a native PEER binds
     * @param tls whether the sides need a certificate (wss)
     * @param curve whether the sides use CURVE (the binding side as server)
     */
    record Transport(String name, String beanBind, String nativeBind, boolean tls, boolean curve) {

        @Override
        public String toString() {
            return this.name;
        }
    }

    /**
     * The server side of {@code peer_client.py connect}: answers {@code ping:X} with {@code pong:X:rid=R} to the
     * routing id R it came from, and {@code push-me:N} with N messages {@code push:0}... sent to that routing id.
     */
    static class PongServer {

        final AtomicInteger pings = new AtomicInteger();

        final AtomicInteger pushRequests = new AtomicInteger();

        private final ZmqPeer server;

        PongServer(@Qualifier("server") ZmqPeer server) {
            this.server = server;
        }

        @ZmqListener(peer = "server")
        String answer(String text, @RoutingId int sender) {
            if (text.startsWith("push-me:")) {
                this.pushRequests.incrementAndGet();
                int pushes = Integer.parseInt(text.substring("push-me:".length()));
                for (int i = 0; i < pushes; i++) {
                    this.server.send(sender, "push:" + i);
                }
                return null;
            }
            this.pings.incrementAndGet();
            return "pong:" + text.substring("ping:".length()) + ":rid=" + sender;
        }
    }
}
