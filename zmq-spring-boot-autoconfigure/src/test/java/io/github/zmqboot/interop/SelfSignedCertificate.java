package io.github.zmqboot.interop;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed RSA certificate, by default for {@code localhost} with the subject alternative names IP
 * {@code 127.0.0.1} and DNS {@code localhost}, written as PEM files (certificate, unencrypted PKCS#8 private key)
 * that both a Spring Boot PEM SSL bundle and libzmq's {@code ZMQ_WSS_*_PEM} options read. Made with the JDK's
 * {@code keytool}.
 *
 * @param certificate the PEM certificate (also the trust material: it signs itself)
 * @param privateKey the PEM private key
 */
public record SelfSignedCertificate(Path certificate, Path privateKey) {

    private static final String PASSWORD = "interop";

    private static final String ALIAS = "server";

    /** Generates a fresh key pair and certificate (valid for two days) into {@code folder}. */
    public static SelfSignedCertificate generate(Path folder) throws IOException, GeneralSecurityException {
        return generate(folder, "", "localhost", "ip:127.0.0.1,dns:localhost");
    }

    /**
     * Generates a fresh key pair and a certificate with other names into {@code folder}, e.g. one that lacks a name
     * a host-name check looks for.
     * @param name the prefix of the files (several certificates can share a folder)
     * @param commonName the subject's CN (Java's host-name check falls back to it when there is no DNS name)
     * @param subjectAlternativeNames in keytool's syntax, e.g. {@code ip:127.0.0.1} or {@code dns:localhost}
     */
    public static SelfSignedCertificate generate(Path folder, String name, String commonName,
            String subjectAlternativeNames) throws IOException, GeneralSecurityException {
        Path keyStore = folder.resolve(name + "self-signed.p12");
        keytool("-genkeypair", "-alias", ALIAS, "-keyalg", "RSA", "-keysize", "2048", "-sigalg", "SHA256withRSA",
                "-dname", "CN=" + commonName, "-ext", "SAN=" + subjectAlternativeNames, "-validity", "2",
                "-keystore", keyStore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD,
                "-keypass", PASSWORD);
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        Files.delete(keyStore);
        Key key = store.getKey(ALIAS, PASSWORD.toCharArray());
        Path certificate = folder.resolve(name + "certificate.pem");
        Path privateKey = folder.resolve(name + "private-key.pem");
        Files.writeString(certificate, pem("CERTIFICATE", store.getCertificate(ALIAS).getEncoded()));
        Files.writeString(privateKey, pem("PRIVATE KEY", key.getEncoded()));
        return new SelfSignedCertificate(certificate, privateKey);
    }

    /** Properties of a Spring Boot PEM SSL bundle {@code name} that only trusts this certificate (for clients). */
    public String[] trustBundleProperties(String name) {
        return new String[] { "spring.ssl.bundle.pem." + name + ".truststore.certificate=file:" + this.certificate };
    }

    /**
     * Properties of a Spring Boot PEM SSL bundle {@code name} serving this certificate and key and trusting this
     * certificate ({@code spring.ssl.bundle.pem.<name>.*}).
     */
    public String[] bundleProperties(String name) {
        String prefix = "spring.ssl.bundle.pem." + name;
        return new String[] { prefix + ".keystore.certificate=file:" + this.certificate,
                prefix + ".keystore.private-key=file:" + this.privateKey,
                prefix + ".truststore.certificate=file:" + this.certificate };
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    private static void keytool(String... arguments) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IOException("keytool failed: " + output);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while keytool ran", ex);
        }
    }
}
