package io.github.zmqboot.autoconfigure;

import io.github.zmqboot.actuate.ZmqInventory;
import io.github.zmqboot.actuate.ZmqMetrics;
import io.github.zmqboot.internal.context.ZmqContextManager;
import io.github.zmqboot.internal.engine.ZmqSocketFactory;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Micrometer meters of the sockets, proxies and listeners, when the application has a {@link MeterRegistry} (the
 * starter works without Micrometer). They are bound once every singleton (socket, proxy, listener) exists.
 */
@AutoConfiguration(after = ZmqAutoConfiguration.class,
        afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ ZmqContextManager.class, MeterRegistry.class })
@Import(ZmqInventoryConfiguration.class)
public final class ZmqMetricsAutoConfiguration {

    @Bean
    SmartInitializingSingleton zmqMetricsBinder(ObjectProvider<MeterRegistry> registry, ZmqInventory inventory,
            ZmqSocketFactory socketFactory) {
        return () -> {
            ZmqMetrics metrics = new ZmqMetrics(inventory, registry.getObject());
            metrics.bind();
            socketFactory.socketMonitor().addListener(metrics);
        };
    }
}
