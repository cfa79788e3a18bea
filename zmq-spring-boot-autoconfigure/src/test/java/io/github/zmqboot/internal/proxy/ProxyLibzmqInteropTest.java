package io.github.zmqboot.internal.proxy;

import java.nio.file.Path;

import io.github.zmqboot.autoconfigure.ZmqAutoConfiguration;
import io.github.zmqboot.core.ZmqProxy;
import io.github.zmqboot.interop.NativeInterop;
import io.github.zmqboot.interop.Pyzmq;
import io.github.zmqboot.testing.QuietOutputCaptureExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static io.github.zmqboot.internal.proxy.TestClients.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A program written for libzmq's {@code zmq_proxy_steerable} (Python on Debian's libzmq via pyzmq) steers a
 * configured proxy through its REP control socket and sends traffic through it. Skipped where
 * {@code /usr/bin/python3} has no {@code zmq} module ({@code apt-get install python3-zmq}).
 */
@ExtendWith(QuietOutputCaptureExtension.class)
class ProxyLibzmqInteropTest {

    @Test
    void libzmqSteeringProgramSteersTheProxy(@TempDir Path folder) throws Exception {
        NativeInterop.require(Pyzmq.available(false), "pyzmq (python3-zmq) is not installed");
        Path script = Pyzmq.script(getClass(), "steer_proxy.py", folder);
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ZmqAutoConfiguration.class))
            .withPropertyValues("zmq.proxies.pipe.type=pull-push",
                    "zmq.proxies.pipe.frontend.bind[0]=tcp://127.0.0.1:0",
                    "zmq.proxies.pipe.backend.bind[0]=tcp://127.0.0.1:0",
                    "zmq.proxies.pipe.control.bind[0]=tcp://127.0.0.1:0")
            .run(context -> {
                ZmqProxy pipe = context.getBean("pipe", ZmqProxy.class);
                String output = Pyzmq.run(script, pipe.controlEndpoints().get(0), pipe.frontendEndpoints().get(0),
                        pipe.backendEndpoints().get(0));
                assertThat(output).isEqualTo("PASS");
                await().atMost(TIMEOUT).until(() -> pipe.state() == ZmqProxy.State.TERMINATED);
            });
    }
}
