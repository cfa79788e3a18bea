package io.github.zmqboot.actuate;

import io.github.zmqboot.autoconfigure.ZmqAutoConfiguration;
import io.github.zmqboot.autoconfigure.ZmqEndpointAutoConfiguration;
import io.github.zmqboot.autoconfigure.ZmqHealthContributorAutoConfiguration;
import io.github.zmqboot.autoconfigure.ZmqMetricsAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Health, endpoint and meters are three auto-configurations, each with its own switch: turning one off leaves the
 * other two, all three share one inventory, and none applies when {@code zmq.enabled=false}.
 */
class ZmqOperabilityAutoConfigurationsTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ZmqAutoConfiguration.class, ZmqHealthContributorAutoConfiguration.class,
                ZmqEndpointAutoConfiguration.class, ZmqMetricsAutoConfiguration.class))
        .withPropertyValues("zmq.sockets.ticks.type=PUB", "zmq.sockets.ticks.linger=0",
                "management.endpoints.web.exposure.include=zmq");

    @Test
    void allThreeShareOneInventoryAndTheMetersAreBound() {
        this.runner.withBean(SimpleMeterRegistry.class).run(context -> {
            assertThat(context).hasNotFailed()
                .hasSingleBean(ZmqInventory.class)
                .hasSingleBean(ZmqSocketEvents.class)
                .hasSingleBean(ZmqHealthIndicator.class)
                .hasSingleBean(ZmqEndpoint.class)
                .hasBean("zmqMetricsBinder");
            assertThat(context.getBean(MeterRegistry.class).find("zmq.messages.sent").tag("socket", "ticks").meter())
                .isNotNull();
        });
    }

    @Test
    void healthIndicatorDisabledLeavesEndpointAndMeters() {
        this.runner.withBean(SimpleMeterRegistry.class)
            .withPropertyValues("management.health.zmq.enabled=false")
            .run(context -> assertThat(context).hasNotFailed()
                .doesNotHaveBean(ZmqHealthIndicator.class)
                .hasSingleBean(ZmqEndpoint.class)
                .hasBean("zmqMetricsBinder"));
    }

    @Test
    void endpointNotExposedLeavesHealthAndMeters() {
        this.runner.withBean(SimpleMeterRegistry.class)
            .withPropertyValues("management.endpoints.web.exposure.include=health")
            .run(context -> assertThat(context).hasNotFailed()
                .doesNotHaveBean(ZmqEndpoint.class)
                .doesNotHaveBean(ZmqEndpointWebExtension.class)
                .hasSingleBean(ZmqHealthIndicator.class)
                .hasBean("zmqMetricsBinder"));
    }

    @Test
    void withoutAMeterRegistryNoMetersAreBound() {
        this.runner.run(context -> assertThat(context).hasNotFailed()
            .doesNotHaveBean("zmqMetricsBinder")
            .hasSingleBean(ZmqHealthIndicator.class)
            .hasSingleBean(ZmqEndpoint.class));
    }

    @Test
    void disabledStarterHasNoneOfThem() {
        this.runner.withBean(SimpleMeterRegistry.class)
            .withPropertyValues("zmq.enabled=false")
            .run(context -> assertThat(context).hasNotFailed()
                .doesNotHaveBean(ZmqInventory.class)
                .doesNotHaveBean(ZmqHealthIndicator.class)
                .doesNotHaveBean(ZmqEndpoint.class)
                .doesNotHaveBean("zmqMetricsBinder"));
    }
}
