package io.github.zmqboot.autoconfigure;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.github.zmqboot.internal.engine.CurveOptions;

/**
 * CURVE security of a socket (RFC 26). A server needs its secret key and may list the client public keys it
 * accepts; a client needs its own key pair and the server's public key. Keys are 40-character Z85 strings
 * (quote them in YAML), inline or from ZCert certificate files.
 */
public class CurveProperties {

    /** Whether this socket is the CURVE server side (ZMQ_CURVE_SERVER). */
    private boolean server;

    /** This socket's public key, Z85 (ZMQ_CURVE_PUBLICKEY). */
    private String publicKey;

    /** This socket's secret key, Z85 (ZMQ_CURVE_SECRETKEY). Never shown in any output. */
    private String secretKey;

    /** The server's public key, Z85, for a client (ZMQ_CURVE_SERVERKEY). */
    private String serverKey;

    /** A ZCert certificate file holding this socket's public key (instead of public-key). */
    private Path publicKeyFile;

    /** A ZCert certificate file holding this socket's secret key (instead of secret-key). */
    private Path secretKeyFile;

    /** A ZCert certificate file holding the server's public key (instead of server-key). */
    private Path serverKeyFile;

    /** A server's accepted client public keys (Z85); empty: any client that knows the server key. */
    private List<String> allowedClients = new ArrayList<>();

    /** These settings as the socket factory takes them. */
    public CurveOptions toCurveOptions() {
        return new CurveOptions(this.server, this.publicKey, this.secretKey, this.serverKey, this.publicKeyFile,
                this.secretKeyFile, this.serverKeyFile, this.allowedClients);
    }

    public boolean isServer() {
        return this.server;
    }

    public void setServer(boolean server) {
        this.server = server;
    }

    public String getPublicKey() {
        return this.publicKey;
    }

    public void setPublicKey(String publicKey) {
        this.publicKey = publicKey;
    }

    public String getSecretKey() {
        return this.secretKey;
    }

    public void setSecretKey(String secretKey) {
        this.secretKey = secretKey;
    }

    public String getServerKey() {
        return this.serverKey;
    }

    public void setServerKey(String serverKey) {
        this.serverKey = serverKey;
    }

    public Path getPublicKeyFile() {
        return this.publicKeyFile;
    }

    public void setPublicKeyFile(Path publicKeyFile) {
        this.publicKeyFile = publicKeyFile;
    }

    public Path getSecretKeyFile() {
        return this.secretKeyFile;
    }

    public void setSecretKeyFile(Path secretKeyFile) {
        this.secretKeyFile = secretKeyFile;
    }

    public Path getServerKeyFile() {
        return this.serverKeyFile;
    }

    public void setServerKeyFile(Path serverKeyFile) {
        this.serverKeyFile = serverKeyFile;
    }

    public List<String> getAllowedClients() {
        return this.allowedClients;
    }

    public void setAllowedClients(List<String> allowedClients) {
        this.allowedClients = allowedClients;
    }
}
