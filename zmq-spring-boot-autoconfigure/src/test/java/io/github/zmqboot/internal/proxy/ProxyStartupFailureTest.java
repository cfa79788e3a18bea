package io.github.zmqboot.internal.proxy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

import io.github.zmqboot.autoconfigure.InvalidZmqPropertyException;
import io.github.zmqboot.autoconfigure.ZmqAutoConfiguration;
import io.github.zmqboot.core.ZmqProxy;
import io.github.zmqboot.testing.QuietOutputCaptureExtension;
import io.github.zmqboot.testing.ReservedPorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static io.github.zmqboot.internal.proxy.TestClients.canBind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A proxy whose endpoint is taken: with {@code auto-startup} it fails the startup of a real
 * {@code SpringApplication}, with a failure-analyzer report naming the property, and leaves no port of its own
 * bound; without it, {@code start()} moves the proxy to {@code FAILED} with the cause, and a later start succeeds
 * once the port is free.
 */
@ExtendWith(QuietOutputCaptureExtension.class)
class ProxyStartupFailureTest {

    /** Configured ports, bound to 0, read back and held for the test. */
    @RegisterExtension
    final ReservedPorts reservedPorts = new ReservedPorts();

    @Test
    void endpointTakenFailsStartupWithAReportNamingTheProperty(CapturedOutput output) throws IOException {
        int frontendPort = this.reservedPorts.reserve().port();
        Throwable thrown;
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            thrown = catchThrowable(() -> {
                try (ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApp.class)
                    .web(WebApplicationType.NONE)
                    .bannerMode(Banner.Mode.OFF)
                    .registerShutdownHook(false)
                    .properties("zmq.proxies.broker.type=router-dealer",
                            "zmq.proxies.broker.frontend.bind[0]=tcp://127.0.0.1:" + frontendPort,
                            "zmq.proxies.broker.backend.bind[0]=tcp://127.0.0.1:" + taken.getLocalPort())
                    .run()) {
                    // reaching this line is the failure reported below
                }
            });
        }
        assertThat(thrown).as("startup with a taken port must fail").isNotNull();
        InvalidZmqPropertyException cause = ProxyConfigurationTest.cause(thrown);
        assertThat(cause.property()).isEqualTo("zmq.proxies.broker.backend.bind[0]");
        assertThat(cause.reason()).contains("EADDRINUSE");

        String all = output.getAll();
        int report = all.indexOf("APPLICATION FAILED TO START");
        assertThat(report).as("a failure analysis report in the output").isNotNegative();
        assertThat(all).doesNotContain("Application run failed");
        String description = all.substring(report, all.indexOf("Action:", report));
        assertThat(description).contains("zmq.proxies.broker.backend.bind[0]").contains("EADDRINUSE");
        assertThat(all.substring(all.indexOf("Action:", report))).contains("port");
        assertThat(canBind(frontendPort)).as("the frontend bound before the failure is released").isTrue();
    }

    @Test
    void withoutAutoStartupStartMovesTheProxyToFailedWithTheCause() throws IOException {
        // reserved: once its holder lets go, the port is the broker's and no other process's
        int port = this.reservedPorts.reserve().port();
        try (ServerSocket taken = new ServerSocket()) {
            taken.setReuseAddress(true);
            taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 50);
            new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ZmqAutoConfiguration.class))
                .withPropertyValues("zmq.proxies.broker.type=router-dealer", "zmq.proxies.broker.auto-startup=false",
                        "zmq.proxies.broker.frontend.bind[0]=tcp://127.0.0.1:" + port,
                        "zmq.proxies.broker.backend.bind[0]=tcp://127.0.0.1:0")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    ZmqProxy broker = context.getBean("broker", ZmqProxy.class);
                    assertThat(broker.state()).isEqualTo(ZmqProxy.State.TERMINATED);

                    assertThatExceptionOfType(InvalidZmqPropertyException.class).isThrownBy(broker::start)
                        .satisfies(ex -> assertThat(ex.property()).isEqualTo("zmq.proxies.broker.frontend.bind[0]"));
                    assertThat(broker.state()).isEqualTo(ZmqProxy.State.FAILED);
                    assertThat(broker.failure()).isInstanceOf(InvalidZmqPropertyException.class)
                        .hasMessageContaining("EADDRINUSE");
                    assertThat(broker.frontendEndpoints()).isEmpty();

                    taken.close();
                    broker.start();
                    assertThat(broker.state()).isEqualTo(ZmqProxy.State.RUNNING);
                    assertThat(broker.failure()).isNull();
                    assertThat(broker.frontendEndpoints()).containsExactly("tcp://127.0.0.1:" + port);
                });
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class TestApp {

    }
}
