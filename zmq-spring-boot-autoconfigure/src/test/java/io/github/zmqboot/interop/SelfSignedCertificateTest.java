package io.github.zmqboot.interop;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The generated certificate loads as a Spring Boot PEM SSL bundle, and TLS with that bundle on both sides checks
 * the host: 127.0.0.1 (IP SAN) and localhost (DNS SAN) pass, another name fails.
 */
class SelfSignedCertificateTest {

    @Test
    void loadsAsAPemSslBundleWhoseTlsAcceptsTheIpAndTheNameInTheCertificateOnly(@TempDir Path folder)
            throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.generate(folder);
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
            .withPropertyValues(certificate.bundleProperties("interop"))
            .run((context) -> {
                SslBundle bundle = context.getBean(SslBundles.class).getBundle("interop");
                KeyStore keyStore = bundle.getStores().getKeyStore();
                String alias = keyStore.aliases().nextElement();
                assertThat(keyStore.isKeyEntry(alias)).isTrue();
                X509Certificate served = (X509Certificate) keyStore.getCertificate(alias);
                assertThat(served.getSubjectAlternativeNames()).containsExactlyInAnyOrder(List.of(7, "127.0.0.1"),
                        List.of(2, "localhost"));
                assertThat(bundle.getStores().getTrustStore().size()).isOne();

                SSLContext tls = bundle.createSslContext();
                try (SSLServerSocket server = (SSLServerSocket) tls.getServerSocketFactory()
                    .createServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
                    CompletableFuture<Void> serving = CompletableFuture.runAsync(() -> serve(server, 3));
                    assertThat(handshake(tls, server.getLocalPort(), "127.0.0.1")).isEqualTo(42);
                    assertThat(handshake(tls, server.getLocalPort(), "localhost")).isEqualTo(42);
                    assertThatExceptionOfType(SSLHandshakeException.class)
                        .isThrownBy(() -> handshake(tls, server.getLocalPort(), "elsewhere.invalid"))
                        .withMessageContaining("elsewhere.invalid");
                    serving.join();
                }
            });
    }

    /** Connects to 127.0.0.1 but checks the certificate against {@code host}; returns the byte the server sent. */
    private static int handshake(SSLContext tls, int port, String host) throws IOException {
        Socket plain = new Socket(InetAddress.getLoopbackAddress(), port);
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(plain, host, port, true)) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return socket.getInputStream().read();
        }
    }

    /** Accepts {@code connections} connections and sends each one byte (a refused handshake just ends one). */
    private static void serve(SSLServerSocket server, int connections) {
        for (int i = 0; i < connections; i++) {
            try (Socket socket = server.accept()) {
                socket.getOutputStream().write(42);
                socket.getOutputStream().flush();
            }
            catch (IOException ex) {
                // the client refused the certificate: the next connection follows
            }
        }
    }
}
