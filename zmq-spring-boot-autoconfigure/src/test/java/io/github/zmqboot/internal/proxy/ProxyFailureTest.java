package io.github.zmqboot.internal.proxy;

import java.util.concurrent.atomic.AtomicBoolean;

import io.github.zmqboot.autoconfigure.ZmqAutoConfiguration;
import io.github.zmqboot.internal.context.ZmqContextManager;
import io.github.zmqboot.core.ZmqProxy;
import io.github.zmqboot.testing.QuietOutputCaptureExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;

import static io.github.zmqboot.internal.proxy.TestClients.TIMEOUT;
import static io.github.zmqboot.internal.proxy.TestClients.canBind;
import static io.github.zmqboot.internal.proxy.TestClients.portOf;
import static io.github.zmqboot.internal.proxy.TestClients.receiveStrings;
import static io.github.zmqboot.internal.proxy.TestClients.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A proxy never dies silently: an unexpected error in its forwarding loop moves it to {@code FAILED}, with the cause
 * logged and returned by {@code failure()}, its sockets closed; it can be started again. The ZeroMQ context closing
 * under a running proxy is a termination, not a failure.
 * <p>
 * No configuration of real sockets makes the loop fail (the configurations that would, such as a REQ side, are
 * refused at startup, and the errors real sockets raise at run time are handled), so the error is injected on the
 * proxy's own thread through the package-private round hook, the only seam this test uses.
 */
@ExtendWith(QuietOutputCaptureExtension.class)
class ProxyFailureTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ZmqAutoConfiguration.class))
        .withPropertyValues("zmq.proxies.pipe.type=pull-push", "zmq.proxies.pipe.frontend.bind[0]=tcp://127.0.0.1:0",
                "zmq.proxies.pipe.backend.bind[0]=tcp://127.0.0.1:0");

    @Test
    void unexpectedLoopErrorMovesTheProxyToFailedWithTheCauseLogged(CapturedOutput output) {
        this.runner.withPropertyValues("zmq.proxies.pipe.auto-startup=false").run(context -> {
            DefaultZmqProxy pipe = context.getBean("pipe", DefaultZmqProxy.class);
            AtomicBoolean armed = new AtomicBoolean();
            IllegalStateException injected = new IllegalStateException("injected loop failure");
            pipe.roundHook(() -> {
                if (armed.get()) {
                    throw injected;
                }
            });
            pipe.start();
            try (TestClients clients = new TestClients()) {
                ZMQ.Socket producer = clients.connect(SocketType.PUSH, pipe.frontendEndpoints().get(0));
                ZMQ.Socket consumer = clients.connect(SocketType.PULL, pipe.backendEndpoints().get(0));
                send(producer, "before");
                assertThat(receiveStrings(consumer)).containsExactly("before");
                int frontendPort = portOf(pipe.frontendEndpoints().get(0));

                armed.set(true);
                await().atMost(TIMEOUT).until(() -> pipe.state() == ZmqProxy.State.FAILED);
                assertThat(pipe.failure()).isSameAs(injected);
                assertThat(pipe.isRunning()).isFalse();
                assertThat(pipe.frontendEndpoints()).isEmpty();
                assertThat(canBind(frontendPort)).as("a failed proxy closed its sockets").isTrue();
                await().atMost(TIMEOUT).until(() -> output.getAll().contains("Proxy 'pipe' failed"));
                assertThat(output.getAll()).contains("injected loop failure");

                armed.set(false);
                pipe.start();
                assertThat(pipe.state()).isEqualTo(ZmqProxy.State.RUNNING);
                assertThat(pipe.failure()).isNull();
            }
        });
    }

    @Test
    void contextClosedUnderARunningProxyTerminatesItWithoutFailure() {
        this.runner.run(context -> {
            ZmqProxy pipe = context.getBean("pipe", ZmqProxy.class);
            try (TestClients clients = new TestClients()) {
                ZMQ.Socket producer = clients.connect(SocketType.PUSH, pipe.frontendEndpoints().get(0));
                ZMQ.Socket consumer = clients.connect(SocketType.PULL, pipe.backendEndpoints().get(0));
                send(producer, "before");
                assertThat(receiveStrings(consumer)).containsExactly("before");

                context.getBean(ZmqContextManager.class).close();
                await().atMost(TIMEOUT).until(() -> pipe.state() == ZmqProxy.State.TERMINATED);
                assertThat(pipe.failure()).isNull();
            }
        });
    }
}
