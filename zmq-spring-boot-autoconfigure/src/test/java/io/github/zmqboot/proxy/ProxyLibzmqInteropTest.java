package io.github.zmqboot.proxy;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.github.zmqboot.autoconfigure.ZmqAutoConfiguration;
import io.github.zmqboot.core.ZmqProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static io.github.zmqboot.proxy.TestClients.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A program written for libzmq's {@code zmq_proxy_steerable} (Python on Debian's libzmq via pyzmq) steers a
 * configured proxy through its REP control socket and sends traffic through it. Skipped where
 * {@code /usr/bin/python3} has no {@code zmq} module ({@code apt-get install python3-zmq}).
 */
class ProxyLibzmqInteropTest {

    private static final String PYTHON = "/usr/bin/python3";

    @Test
    void libzmqSteeringProgramSteersTheProxy(@TempDir Path folder) throws Exception {
        assumeTrue(pyzmqAvailable(), "pyzmq (python3-zmq) is not installed");
        Path script = folder.resolve("steer_proxy.py");
        try (var in = getClass().getResourceAsStream("steer_proxy.py")) {
            Files.copy(in, script);
        }
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ZmqAutoConfiguration.class))
            .withPropertyValues("zmq.proxies.pipe.type=pull-push",
                    "zmq.proxies.pipe.frontend.bind[0]=tcp://127.0.0.1:0",
                    "zmq.proxies.pipe.backend.bind[0]=tcp://127.0.0.1:0",
                    "zmq.proxies.pipe.control.bind[0]=tcp://127.0.0.1:0")
            .run(context -> {
                ZmqProxy pipe = context.getBean("pipe", ZmqProxy.class);
                Process process = new ProcessBuilder(PYTHON, script.toString(), pipe.controlEndpoints().get(0),
                        pipe.frontendEndpoints().get(0), pipe.backendEndpoints().get(0))
                    .redirectErrorStream(true)
                    .start();
                boolean exited = process.waitFor(60, TimeUnit.SECONDS);
                if (!exited) {
                    process.destroyForcibly();
                }
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(exited).as("the libzmq program ended within 60 s").isTrue();
                assertThat(output.trim()).isEqualTo("PASS");
                assertThat(process.exitValue()).isZero();
                await().atMost(TIMEOUT).until(() -> pipe.state() == ZmqProxy.State.TERMINATED);
            });
    }

    private static boolean pyzmqAvailable() {
        if (!new File(PYTHON).canExecute()) {
            return false;
        }
        try {
            Process probe = new ProcessBuilder(PYTHON, "-c", "import zmq").redirectErrorStream(true).start();
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
}
