package io.github.zmqboot.internal.security;

import org.zeromq.ZMQ;

/** CURVE key pairs for tests. */
public final class TestCurveKeys {

    private TestCurveKeys() {
    }

    /** A new key pair whose Z85 keys hold no "${" (which Spring's property resolution could take for a placeholder). */
    public static ZMQ.Curve.KeyPair keyPair() {
        ZMQ.Curve.KeyPair keys;
        do {
            keys = ZMQ.Curve.generateKeyPair();
        }
        while (keys.publicKey.contains("${") || keys.secretKey.contains("${"));
        return keys;
    }
}
