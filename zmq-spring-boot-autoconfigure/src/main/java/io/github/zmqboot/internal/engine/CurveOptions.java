package io.github.zmqboot.internal.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.zeromq.ZConfig;

/**
 * A socket's CURVE security (libzmq's {@code ZMQ_CURVE_*} options, RFC 26): as a server it needs its secret key and
 * may restrict the clients it accepts to a list of public keys (checked by the context's {@link ZapHandler}); as a
 * client it needs its own key pair and the server's public key. Keys are 40-character Z85 strings, given inline or
 * read from certificate files in ZeroMQ's ZCert format ({@code curve} section, {@code public-key} and
 * {@code secret-key}; a server key file is the server's public certificate). Secret keys never appear in messages.
 *
 * @param server whether the socket is the CURVE server side ({@code ZMQ_CURVE_SERVER})
 * @param publicKey the socket's own public key (Z85)
 * @param secretKey the socket's own secret key (Z85)
 * @param serverKey the server's public key (Z85), for a client
 * @param publicKeyFile a ZCert file holding the socket's public key, instead of {@code publicKey}
 * @param secretKeyFile a ZCert file holding the socket's secret key, instead of {@code secretKey}
 * @param serverKeyFile a ZCert file holding the server's public key, instead of {@code serverKey}
 * @param allowedClients a server's accepted client public keys (Z85); empty: every client with the server key
 */
public record CurveOptions(boolean server, String publicKey, String secretKey, String serverKey, Path publicKeyFile,
        Path secretKeyFile, Path serverKeyFile, List<String> allowedClients) {

    /** ZeroMQ's Z85 alphabet (RFC 32). */
    private static final String Z85_ALPHABET =
            "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

    /** Length of a 32-byte key in Z85. */
    private static final int Z85_KEY_LENGTH = 40;

    /**
     * No CURVE security, set explicitly: unlike an unset {@code curve}, it does not fall back to
     * {@code zmq.defaults.curve} (used for the starter's own inproc sockets, such as the ZAP handler's).
     */
    public static final CurveOptions NONE = new CurveOptions(false, null, null, null, null, null, null, null);

    /** Shown instead of a secret key. */
    private static final String HIDDEN = "(hidden)";

    public CurveOptions {
        allowedClients = allowedClients == null ? List.of() : List.copyOf(allowedClients);
    }

    /**
     * The keys, checked and read (from files where given); {@code null} for {@link #NONE}.
     *
     * @throws InvalidSocketOptionException naming the first wrong option ({@code curve.secret-key}, ...)
     */
    public Keys resolve() {
        if (this == NONE) {
            return null;
        }
        String ownPublic = key("curve.public-key", this.publicKey, this.publicKeyFile, "public-key", false);
        String ownSecret = key("curve.secret-key", this.secretKey, this.secretKeyFile, "secret-key", true);
        String serverPublic = key("curve.server-key", this.serverKey, this.serverKeyFile, "public-key", false);
        if (this.server) {
            require(ownSecret, "curve.secret-key", "a CURVE server needs its secret key (secret-key or secret-key-file)");
            if (serverPublic != null) {
                throw new InvalidSocketOptionException("curve.server-key", serverPublic,
                        "is for CURVE clients; a server (curve.server=true) has no server key");
            }
        }
        else {
            require(serverPublic, "curve.server-key", "a CURVE client needs the server's public key "
                    + "(server-key or server-key-file); set curve.server=true for the server side");
            require(ownPublic, "curve.public-key", "a CURVE client needs its own public key (public-key or "
                    + "public-key-file)");
            require(ownSecret, "curve.secret-key", "a CURVE client needs its own secret key (secret-key or "
                    + "secret-key-file)");
            if (!this.allowedClients.isEmpty()) {
                throw new InvalidSocketOptionException("curve.allowed-clients", this.allowedClients,
                        "applies to a CURVE server (curve.server=true) only");
            }
        }
        for (int i = 0; i < this.allowedClients.size(); i++) {
            checkZ85("curve.allowed-clients[" + i + "]", this.allowedClients.get(i), false);
        }
        return new Keys(this.server, ownPublic, ownSecret, serverPublic, this.allowedClients);
    }

    @Override
    public String toString() {
        return "CurveOptions[server=" + this.server + ", publicKey=" + this.publicKey + ", serverKey="
                + this.serverKey + ", allowedClients=" + this.allowedClients.size() + "]";
    }

    private static String key(String option, String inline, Path file, String certificateEntry, boolean secret) {
        if (inline != null && file != null) {
            throw new InvalidSocketOptionException(option, secret ? HIDDEN : inline,
                    "is given both inline and as " + option + "-file; set only one");
        }
        if (file != null) {
            return checkZ85(option + "-file", fromCertificate(option + "-file", file, certificateEntry), secret);
        }
        return inline == null ? null : checkZ85(option, inline, secret);
    }

    private static String fromCertificate(String option, Path file, String entry) {
        if (!Files.isReadable(file)) {
            throw new InvalidSocketOptionException(option, file, "is not a readable file");
        }
        String value;
        try {
            value = ZConfig.load(file.toString()).getValue("curve/" + entry);
        }
        catch (IOException | RuntimeException ex) {
            throw new InvalidSocketOptionException(option, file, "cannot be read as a ZCert certificate: " + ex);
        }
        if (value == null || value.isEmpty()) {
            throw new InvalidSocketOptionException(option, file,
                    "holds no curve/" + entry + " (a ZCert certificate has a 'curve' section with '" + entry + "')");
        }
        return value;
    }

    private static String checkZ85(String option, String key, boolean secret) {
        Object shown = secret ? HIDDEN : key;
        if (key.length() != Z85_KEY_LENGTH) {
            throw new InvalidSocketOptionException(option, shown, "must be a 40-character Z85 key (32 bytes), not "
                    + key.length() + " characters");
        }
        for (int i = 0; i < key.length(); i++) {
            if (Z85_ALPHABET.indexOf(key.charAt(i)) < 0) {
                throw new InvalidSocketOptionException(option, shown,
                        "is not Z85: character " + (i + 1) + " is outside the Z85 alphabet");
            }
        }
        return key;
    }

    private static void require(String value, String option, String reason) {
        if (value == null) {
            throw new InvalidSocketOptionException(option, null, reason);
        }
    }

    /**
     * The checked keys of a socket, all Z85.
     *
     * @param server whether the socket is the server side
     * @param publicKey its public key (a server's may be null)
     * @param secretKey its secret key
     * @param serverKey the server's public key (clients only)
     * @param allowedClients the client keys a server accepts; empty: any
     */
    public record Keys(boolean server, String publicKey, String secretKey, String serverKey,
            List<String> allowedClients) {

        @Override
        public String toString() {
            return "Keys[server=" + this.server + ", publicKey=" + this.publicKey + "]";
        }
    }
}
