package io.github.zmqboot.autoconfigure;

import io.github.zmqboot.actuate.ZmqEndpoint;
import io.github.zmqboot.actuate.ZmqEndpointWebExtension;
import io.github.zmqboot.actuate.ZmqInventory;
import io.github.zmqboot.internal.context.ZmqContextManager;
import io.github.zmqboot.internal.monitor.SteeringAudit;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The {@code zmq} actuator endpoint and its web extension (steering), when the application has actuator (the
 * starter works without it) and the endpoint is available (accessible and exposed).
 * <p>
 * As for health, {@code @ConditionalOnAvailableEndpoint} (actuator-autoconfigure) sits on the bean methods, so that
 * it is evaluated only once the class check passed.
 */
@AutoConfiguration(after = ZmqAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean(ZmqContextManager.class)
@Import(ZmqInventoryConfiguration.class)
public final class ZmqEndpointAutoConfiguration {

    @Bean
    @ConditionalOnAvailableEndpoint(ZmqEndpoint.class)
    @ConditionalOnMissingBean
    ZmqEndpoint zmqEndpoint(ZmqInventory inventory, SteeringAudit steeringAudit) {
        return new ZmqEndpoint(inventory, steeringAudit);
    }

    @Bean
    @ConditionalOnAvailableEndpoint(ZmqEndpoint.class)
    @ConditionalOnMissingBean
    ZmqEndpointWebExtension zmqEndpointWebExtension(ZmqEndpoint endpoint) {
        return new ZmqEndpointWebExtension(endpoint);
    }
}
