package io.github.zmqboot.autoconfigure;

import io.github.zmqboot.actuate.ZmqEndpoint;
import io.github.zmqboot.actuate.ZmqEndpointWebExtension;
import io.github.zmqboot.actuate.ZmqHealthIndicator;
import io.github.zmqboot.actuate.ZmqInventory;
import io.github.zmqboot.actuate.ZmqMetrics;
import io.github.zmqboot.actuate.ZmqSocketEvents;
import io.github.zmqboot.internal.context.ZmqContextManager;
import io.github.zmqboot.internal.monitor.SteeringAudit;
import io.github.zmqboot.internal.engine.ZmqSocketFactory;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Operability of ZeroMQ when the application has it: the {@code zmq} health contributor (spring-boot-health), the
 * {@code zmq} actuator endpoint (actuator) and Micrometer meters (micrometer). The starter works without any of them.
 */
@AutoConfiguration(after = ZmqAutoConfiguration.class)
@ConditionalOnBean(ZmqContextManager.class)
public class ZmqActuatorAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ZmqSocketEvents zmqSocketEvents() {
        return new ZmqSocketEvents(); // a SocketEventListener bean: registered with the socket monitor
    }

    @Bean
    @ConditionalOnMissingBean
    ZmqInventory zmqInventory(ListableBeanFactory beanFactory, ZmqSocketEvents events,
            ZmqContextManager contextManager) {
        return new ZmqInventory(beanFactory, events, contextManager);
    }

    /**
     * The {@code zmq} health contributor. The class check sits on an enclosing class of its own: Spring instantiates
     * every condition of a class before evaluating any, so a condition from spring-boot-health
     * ({@code @ConditionalOnEnabledHealthIndicator}) must not share a class with the check that it is present.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
    static class ZmqHealthConfiguration {

        @Configuration(proxyBeanMethods = false)
        @ConditionalOnEnabledHealthIndicator("zmq")
        static class ZmqHealthIndicatorConfiguration {

            @Bean
            @ConditionalOnMissingBean(name = "zmqHealthIndicator")
            ZmqHealthIndicator zmqHealthIndicator(ZmqInventory inventory) {
                return new ZmqHealthIndicator(inventory);
            }
        }
    }

    /**
     * The {@code zmq} endpoint; as for health, {@code @ConditionalOnAvailableEndpoint} (actuator-autoconfigure) is
     * evaluated only once the class check passed.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
    static class ZmqEndpointConfiguration {

        @Configuration(proxyBeanMethods = false)
        @ConditionalOnAvailableEndpoint(ZmqEndpoint.class)
        static class ZmqAvailableEndpointConfiguration {

            @Bean
            @ConditionalOnMissingBean
            ZmqEndpoint zmqEndpoint(ZmqInventory inventory, SteeringAudit steeringAudit) {
                return new ZmqEndpoint(inventory, steeringAudit);
            }

            @Bean
            @ConditionalOnMissingBean
            ZmqEndpointWebExtension zmqEndpointWebExtension(ZmqEndpoint endpoint) {
                return new ZmqEndpointWebExtension(endpoint);
            }
        }
    }

    /** Micrometer meters, bound once every singleton (socket, proxy, listener) exists. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    static class ZmqMetricsConfiguration {

        @Bean
        SmartInitializingSingleton zmqMetricsBinder(ObjectProvider<MeterRegistry> registry, ZmqInventory inventory,
                ZmqSocketFactory socketFactory) {
            return () -> registry.ifAvailable(meterRegistry -> {
                ZmqMetrics metrics = new ZmqMetrics(inventory, meterRegistry);
                metrics.bind();
                socketFactory.socketMonitor().addListener(metrics);
            });
        }
    }
}
