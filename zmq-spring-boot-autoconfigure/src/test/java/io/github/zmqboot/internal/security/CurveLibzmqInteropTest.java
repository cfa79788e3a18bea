package io.github.zmqboot.internal.security;

import java.nio.file.Path;

import io.github.zmqboot.annotation.ZmqListener;
import io.github.zmqboot.autoconfigure.ZmqAutoConfiguration;
import io.github.zmqboot.core.ZmqSocket;
import io.github.zmqboot.interop.NativeInterop;
import io.github.zmqboot.interop.Pyzmq;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.ZMQ;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static io.github.zmqboot.internal.security.TestCurveKeys.keyPair;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * libzmq's CURVE (Python on Debian's libzmq via pyzmq) against a CURVE server configured from properties: a client
 * whose key the server lists gets its reply; a client with another key gets none. Skipped where
 * {@code /usr/bin/python3} has no {@code zmq} module ({@code apt-get install python3-zmq}).
 */
class CurveLibzmqInteropTest {

    /** How long the refused client waits for a reply that must not come (it would come in milliseconds). */
    private static final String REFUSED_CLIENT_WAIT_MILLIS = "2000";

    /** How long the admitted client waits (a fresh tcp connect can stall for a handshake interval). */
    private static final String ADMITTED_CLIENT_WAIT_MILLIS = "30000";

    @Test
    void aLibzmqClientWithAListedKeyIsAnsweredAndOneWithAnotherKeyIsNot(@TempDir Path folder) throws Exception {
        NativeInterop.require(Pyzmq.available(true), "pyzmq (python3-zmq) with CURVE is not installed");
        Path script = Pyzmq.script(getClass(), "curve_client.py", folder);
        ZMQ.Curve.KeyPair server = keyPair();
        ZMQ.Curve.KeyPair listed = keyPair();
        ZMQ.Curve.KeyPair stranger = keyPair();
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ZmqAutoConfiguration.class))
            .withBean(Echo.class)
            .withPropertyValues("zmq.sockets.echo.type=REP", "zmq.sockets.echo.bind[0]=tcp://127.0.0.1:0",
                    "zmq.sockets.echo.curve.server=true", "zmq.sockets.echo.curve.secret-key=" + server.secretKey,
                    "zmq.sockets.echo.curve.allowed-clients[0]=" + listed.publicKey)
            .run(context -> {
                String endpoint = context.getBean("echo", ZmqSocket.class).boundEndpoints().get(0);

                assertThat(Pyzmq.run(script, endpoint, server.publicKey, listed.publicKey, listed.secretKey, "hello",
                        ADMITTED_CLIENT_WAIT_MILLIS))
                    .isEqualTo("REPLY echo hello");
                assertThat(Pyzmq.run(script, endpoint, server.publicKey, stranger.publicKey, stranger.secretKey,
                        "intrusion", REFUSED_CLIENT_WAIT_MILLIS))
                    .isEqualTo("NO REPLY");
                assertThat(context.getBean(Echo.class).heard).isEqualTo(1);
            });
    }

    /** Echoes what it hears on the REP socket {@code echo}. */
    static class Echo {

        volatile int heard;

        @ZmqListener(socket = "echo")
        String echo(String text) {
            this.heard++;
            return "echo " + text;
        }
    }
}
