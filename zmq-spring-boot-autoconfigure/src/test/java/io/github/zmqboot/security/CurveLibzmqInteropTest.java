package io.github.zmqboot.security;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.github.zmqboot.annotation.ZmqListener;
import io.github.zmqboot.autoconfigure.ZmqAutoConfiguration;
import io.github.zmqboot.core.ZmqSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.ZMQ;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * libzmq's CURVE (Python on Debian's libzmq via pyzmq) against a CURVE server configured from properties: a client
 * whose key the server lists gets its reply; a client with another key gets none. Skipped where
 * {@code /usr/bin/python3} has no {@code zmq} module ({@code apt-get install python3-zmq}).
 */
class CurveLibzmqInteropTest {

    private static final String PYTHON = "/usr/bin/python3";

    /** How long the refused client waits for a reply that must not come (it would come in milliseconds). */
    private static final String REFUSED_CLIENT_WAIT_MILLIS = "2000";

    /** How long the admitted client waits (a fresh tcp connect can stall for a handshake interval). */
    private static final String ADMITTED_CLIENT_WAIT_MILLIS = "30000";

    @Test
    void aLibzmqClientWithAListedKeyIsAnsweredAndOneWithAnotherKeyIsNot(@TempDir Path folder) throws Exception {
        assumeTrue(pyzmqAvailable(), "pyzmq (python3-zmq) is not installed");
        Path script = folder.resolve("curve_client.py");
        try (var in = getClass().getResourceAsStream("curve_client.py")) {
            Files.copy(in, script);
        }
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

                assertThat(client(script, endpoint, server.publicKey, listed, "hello", ADMITTED_CLIENT_WAIT_MILLIS))
                    .isEqualTo("REPLY echo hello");
                assertThat(client(script, endpoint, server.publicKey, stranger, "intrusion",
                        REFUSED_CLIENT_WAIT_MILLIS))
                    .isEqualTo("NO REPLY");
                assertThat(context.getBean(Echo.class).heard).isEqualTo(1);
            });
    }

    private static String client(Path script, String endpoint, String serverKey, ZMQ.Curve.KeyPair keys,
            String message, String waitMillis) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(PYTHON, script.toString(), endpoint, serverKey, keys.publicKey,
                keys.secretKey, message, waitMillis)
            .redirectErrorStream(true)
            .start();
        boolean exited = process.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly();
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(exited).as("the libzmq client ended within 60 s: %s", output).isTrue();
        assertThat(process.exitValue()).as("exit status; output: %s", output).isZero();
        return output;
    }

    private static ZMQ.Curve.KeyPair keyPair() {
        ZMQ.Curve.KeyPair keys;
        do {
            keys = ZMQ.Curve.generateKeyPair();
        }
        while (keys.publicKey.contains("${") || keys.secretKey.contains("${"));
        return keys;
    }

    private static boolean pyzmqAvailable() {
        if (!new File(PYTHON).canExecute()) {
            return false;
        }
        try {
            Process probe = new ProcessBuilder(PYTHON, "-c", "import zmq; assert zmq.has('curve')")
                .redirectErrorStream(true)
                .start();
            return probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
        }
        catch (IOException ex) {
            return false;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
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
