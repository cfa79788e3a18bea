package io.github.zmqboot.internal.transport;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * What a wss socket's TLS is made of, e.g. from a Spring Boot SSL bundle: key managers serve a binding socket's
 * certificate; trust managers check the server a connecting socket reaches (null: the JVM's default trust store).
 *
 * @param keyManagers the certificate and key to present (null on a socket that only connects)
 * @param trustManagers the trust material for servers (null: the JVM default)
 * @param protocols enabled TLS protocols (null: the default)
 * @param ciphers enabled cipher suites (null: the default)
 */
public record TlsMaterial(KeyManagerFactory keyManagers, TrustManagerFactory trustManagers, String[] protocols,
        String[] ciphers) {
}
