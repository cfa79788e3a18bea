package io.github.zmqboot.internal.proxy;

import java.util.ArrayList;
import java.util.List;

import io.github.zmqboot.autoconfigure.InvalidZmqPropertyException;
import io.github.zmqboot.autoconfigure.ZmqAutoConfiguration;
import io.github.zmqboot.core.ProxyStatistics;
import io.github.zmqboot.core.ZmqProxy;
import io.github.zmqboot.listener.ZmqListenerEndpointRegistry;
import io.github.zmqboot.testing.QuietOutputCaptureExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.extension.ExtendWith;
import org.zeromq.SocketType;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.SmartLifecycle;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code zmq.proxies.<name>} turns into: one {@link ZmqProxy} bean per entry named by its key, presets and
 * per-side type overrides, a {@link SmartLifecycle} in the proxies' phase that honours {@code auto-startup}, and a
 * startup failure naming the exact property for every value that cannot work.
 */
@ExtendWith(QuietOutputCaptureExtension.class)
class ProxyConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ZmqAutoConfiguration.class));

    @Test
    void registersOneLifecycleBeanPerProxyNamedByItsKeyWithPresetAndOverriddenTypes() {
        this.runner.withPropertyValues("zmq.proxies.broker.type=router-dealer",
                "zmq.proxies.broker.frontend.bind[0]=inproc://broker-frontend",
                "zmq.proxies.broker.backend.bind[0]=inproc://broker-backend",
                "zmq.proxies.custom.frontend.type=SUB", "zmq.proxies.custom.backend.type=PUB",
                "zmq.proxies.custom.frontend.connect[0]=inproc://nowhere-yet",
                "zmq.proxies.custom.backend.bind[0]=inproc://custom-backend",
                "zmq.proxies.custom.capture.bind[0]=inproc://custom-capture",
                "zmq.proxies.lazy.type=XSUB-XPUB", "zmq.proxies.lazy.auto-startup=false",
                "zmq.proxies.lazy.frontend.bind[0]=tcp://127.0.0.1:0",
                "zmq.proxies.lazy.backend.bind[0]=tcp://127.0.0.1:0")
            .run(context -> {
                assertThat(context).hasNotFailed();
                assertThat(context.getBeansOfType(ZmqProxy.class)).containsOnlyKeys("broker", "custom", "lazy");
                DefaultZmqProxy broker = context.getBean("broker", DefaultZmqProxy.class);
                assertThat(broker.name()).isEqualTo("broker");
                assertThat(broker.type()).isEqualTo("router-dealer");
                assertThat(broker.definition().frontend().type()).isEqualTo(SocketType.ROUTER);
                assertThat(broker.definition().backend().type()).isEqualTo(SocketType.DEALER);
                assertThat(broker.getPhase()).isEqualTo(Integer.MAX_VALUE - 50)
                    .as("stops before the listeners").isGreaterThan(ZmqListenerEndpointRegistry.PHASE);
                assertThat(broker.state()).isEqualTo(ZmqProxy.State.RUNNING);
                assertThat(broker.frontendEndpoints()).containsExactly("inproc://broker-frontend");
                assertThat(broker.controlEndpoints()).isEmpty();

                DefaultZmqProxy custom = context.getBean("custom", DefaultZmqProxy.class);
                assertThat(custom.type()).isEqualTo("custom");
                assertThat(custom.definition().frontend().type()).isEqualTo(SocketType.SUB);
                assertThat(custom.definition().capture().type()).as("capture defaults to PUB").isEqualTo(SocketType.PUB);
                assertThat(custom.state()).isEqualTo(ZmqProxy.State.RUNNING);

                DefaultZmqProxy lazy = context.getBean("lazy", DefaultZmqProxy.class);
                assertThat(lazy.type()).isEqualTo("xsub-xpub");
                assertThat(lazy.isAutoStartup()).isFalse();
                assertThat(lazy.state()).as("auto-startup false: not started").isEqualTo(ZmqProxy.State.TERMINATED);
                assertThat(lazy.isRunning()).isFalse();
                assertThat(lazy.frontendEndpoints()).isEmpty();
                assertThat(lazy.failure()).isNull();
                assertThat(lazy.statistics()).isEqualTo(ProxyStatistics.ZERO);
                lazy.start();
                assertThat(lazy.state()).isEqualTo(ZmqProxy.State.RUNNING);
                assertThat(TestClients.portOf(lazy.frontendEndpoints().get(0))).isPositive();
            });
    }

    @Test
    void closingTheContextTerminatesRunningProxies() {
        this.runner.withPropertyValues("zmq.proxies.pipe.type=pull-push",
                "zmq.proxies.pipe.frontend.bind[0]=tcp://127.0.0.1:0",
                "zmq.proxies.pipe.backend.bind[0]=tcp://127.0.0.1:0")
            .run(context -> {
                ZmqProxy pipe = context.getBean("pipe", ZmqProxy.class);
                int port = TestClients.portOf(pipe.frontendEndpoints().get(0));
                context.close();
                assertThat(pipe.state()).isEqualTo(ZmqProxy.State.TERMINATED);
                assertThat(TestClients.canBind(port)).isTrue();
            });
    }

    @ParameterizedTest(name = "{0}={1} fails naming {2}")
    @CsvSource({
            "zmq.proxies.broker.type, router-router, zmq.proxies.broker.type",
            "zmq.proxies.broker.type, '', zmq.proxies.broker.type",
            "zmq.proxies.broker.capture.type, REP, zmq.proxies.broker.capture.type",
            "zmq.proxies.broker.control.type, PUB, zmq.proxies.broker.control.type",
            "zmq.proxies.broker.frontend.type, REQ, zmq.proxies.broker.frontend.type",
            "zmq.proxies.broker.backend.type, SERVER, zmq.proxies.broker.backend.type",
            "zmq.proxies.broker.backend.send-hwm, -1, zmq.proxies.broker.backend.send-hwm",
            "zmq.proxies.broker.frontend.bind[0], tcp://127.0.0.1, zmq.proxies.broker.frontend.bind[0]",
            "zmq.proxies.broker.backend.connect[0], norm://127.0.0.1:5555, zmq.proxies.broker.backend.connect[0]",
            "zmq.proxies.broker.frontend.router-mandatory, true, zmq.proxies.broker.frontend.router-mandatory" })
    void invalidValueFailsStartupNamingTheProperty(String property, String value, String reported) {
        List<String> properties = new ArrayList<>(List.of("zmq.proxies.broker.type=pull-push",
                "zmq.proxies.broker.frontend.bind[0]=tcp://127.0.0.1:0",
                "zmq.proxies.broker.backend.bind[0]=tcp://127.0.0.1:0", property + "=" + value));
        if (property.contains(".capture.")) {
            properties.add("zmq.proxies.broker.capture.bind[0]=inproc://broker-capture");
        }
        if (property.contains(".control.")) {
            properties.add("zmq.proxies.broker.control.bind[0]=inproc://broker-control");
        }
        this.runner.withPropertyValues(properties.toArray(String[]::new)).run(context -> {
            assertThat(context).hasFailed();
            InvalidZmqPropertyException failure = cause(context.getStartupFailure());
            assertThat(failure.property()).isEqualTo(reported);
            assertThat(failure.action()).isNotBlank();
        });
    }

    @Test
    void sideWithoutEndpointsFailsNamingItsBindList() {
        this.runner.withPropertyValues("zmq.proxies.broker.type=router-dealer",
                "zmq.proxies.broker.frontend.bind[0]=tcp://127.0.0.1:0")
            .run(context -> assertThat(cause(context.getStartupFailure()).property())
                .isEqualTo("zmq.proxies.broker.backend.bind"));
    }

    @Test
    void proxyNamedLikeAPeerFailsNamingBothPaths() {
        this.runner.withPropertyValues("zmq.peers.broker.bind[0]=inproc://peer",
                "zmq.proxies.broker.type=pull-push", "zmq.proxies.broker.frontend.bind[0]=inproc://f",
                "zmq.proxies.broker.backend.bind[0]=inproc://b")
            .run(context -> {
                InvalidZmqPropertyException failure = cause(context.getStartupFailure());
                assertThat(failure.property()).isEqualTo("zmq.proxies.broker");
                assertThat(failure.getMessage()).contains("zmq.peers.broker").contains("zmq.proxies.broker");
            });
    }

    static InvalidZmqPropertyException cause(Throwable failure) {
        for (Throwable candidate = failure; candidate != null; candidate = candidate.getCause()) {
            if (candidate instanceof InvalidZmqPropertyException invalid) {
                return invalid;
            }
        }
        throw new AssertionError("no InvalidZmqPropertyException in " + failure, failure);
    }
}
