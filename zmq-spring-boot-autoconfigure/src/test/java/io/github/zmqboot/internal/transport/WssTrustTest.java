package io.github.zmqboot.internal.transport;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.zmqboot.autoconfigure.ZmqAutoConfiguration;
import io.github.zmqboot.core.ZmqPeer;
import io.github.zmqboot.interop.SelfSignedCertificate;
import io.github.zmqboot.core.SocketEvent;
import io.github.zmqboot.internal.engine.ZmqSocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Whom a wss connect trusts: the trust store of its {@code ssl-bundle}, and only a certificate that names the host or
 * IP of the endpoint. A client that does not trust the server's certificate, or connects by a name the certificate
 * lacks, fails the TLS handshake and gets nothing through; a client next to it that trusts the certificate, or uses a
 * name the certificate has, talks to the same server.
 */
class WssTrustTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** How long a refused client's messages are given to (wrongly) arrive after its handshake failed. */
    private static final Duration NOTHING_ARRIVES = Duration.ofMillis(500);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ZmqAutoConfiguration.class, SslAutoConfiguration.class))
        .withPropertyValues("zmq.defaults.linger=0", "zmq.peers.server.bind[0]=wss://127.0.0.1:0/secure",
                "zmq.peers.server.ssl-bundle=server");

    @Test
    void aClientWhoseBundleDoesNotTrustTheServerCertificateGetsNothingThrough(@TempDir Path folder) throws Exception {
        SelfSignedCertificate server = SelfSignedCertificate.generate(folder);
        SelfSignedCertificate other = SelfSignedCertificate.generate(folder, "other-", "localhost",
                "ip:127.0.0.1,dns:localhost");
        this.runner.withPropertyValues(server.bundleProperties("server"))
            .withPropertyValues(server.trustBundleProperties("trusting"))
            .withPropertyValues(other.trustBundleProperties("mistrusting"))
            .withPropertyValues("zmq.peers.mallory.ssl-bundle=mistrusting", "zmq.peers.trent.ssl-bundle=trusting")
            .run(context -> {
                List<SocketEvent> events = recordEvents(context);
                ZmqPeer serverPeer = context.getBean("server", ZmqPeer.class);
                String endpoint = serverPeer.boundEndpoints().get(0);

                ZmqPeer mallory = context.getBean("mallory", ZmqPeer.class);
                mallory.send(mallory.connect(endpoint), "from mallory");
                ZmqPeer trent = context.getBean("trent", ZmqPeer.class);
                trent.send(trent.connect(endpoint), "from trent");

                assertThat(text(receive(serverPeer))).as("the trusting client's message").isEqualTo("from trent");
                await("mallory's handshake refused").atMost(TIMEOUT)
                    .until(() -> handshakeFailures(events, "mallory") > 0);
                assertThat(serverPeer.receive(NOTHING_ARRIVES)).as("nothing of mallory got through").isNull();
            });
    }

    @Test
    void aConnectByHostNamePassesTheCheckAgainstACertificateWithThatDnsName(@TempDir Path folder) throws Exception {
        // no IP address and a CN that is no host: only the DNS name can match
        SelfSignedCertificate server = SelfSignedCertificate.generate(folder, "", "zmq-test-server", "dns:localhost");
        this.runner.withPropertyValues(server.bundleProperties("server"))
            .withPropertyValues("zmq.peers.client.ssl-bundle=server")
            .run(context -> {
                ZmqPeer serverPeer = context.getBean("server", ZmqPeer.class);
                ZmqPeer client = context.getBean("client", ZmqPeer.class);
                String byName = serverPeer.boundEndpoints().get(0).replace("127.0.0.1", "localhost");
                assertThat(byName).startsWith("wss://localhost:");

                int serverId = client.connect(byName);
                client.send(serverId, "hello by name");
                ZmqPeer.Received request = receive(serverPeer);
                assertThat(text(request.payload())).isEqualTo("hello by name");
                serverPeer.send(request.routingId(), "welcome");
                assertThat(text(receive(client).payload())).isEqualTo("welcome");
            });
    }

    @Test
    void aConnectByHostNameIsRefusedByACertificateLackingTheName(@TempDir Path folder) throws Exception {
        // the certificate names the IP only; the CN is no host either, so "localhost" matches nothing
        SelfSignedCertificate server = SelfSignedCertificate.generate(folder, "", "zmq-test-server", "ip:127.0.0.1");
        this.runner.withPropertyValues(server.bundleProperties("server"))
            .withPropertyValues("zmq.peers.byname.ssl-bundle=server", "zmq.peers.byip.ssl-bundle=server")
            .run(context -> {
                List<SocketEvent> events = recordEvents(context);
                ZmqPeer serverPeer = context.getBean("server", ZmqPeer.class);
                String byIp = serverPeer.boundEndpoints().get(0);
                String byName = byIp.replace("127.0.0.1", "localhost");

                ZmqPeer byNamePeer = context.getBean("byname", ZmqPeer.class);
                byNamePeer.send(byNamePeer.connect(byName), "by name");
                ZmqPeer byIpPeer = context.getBean("byip", ZmqPeer.class);
                byIpPeer.send(byIpPeer.connect(byIp), "by ip");

                assertThat(text(receive(serverPeer).payload())).as("the same trust, by the IP the certificate names")
                    .isEqualTo("by ip");
                await("the connect by name refused").atMost(TIMEOUT)
                    .until(() -> handshakeFailures(events, "byname") > 0);
                assertThat(serverPeer.receive(NOTHING_ARRIVES)).as("nothing sent by name got through").isNull();
            });
    }

    private static ZmqPeer.Received receive(ZmqPeer peer) {
        ZmqPeer.Received received = peer.receive(TIMEOUT);
        assertThat(received).as("a message at %s", peer.name()).isNotNull();
        return received;
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

    private static String text(ZmqPeer.Received received) {
        return text(received.payload());
    }

    private static String text(byte[] payload) {
        return new String(payload, StandardCharsets.UTF_8);
    }
}
