package io.github.zmqboot.autoconfigure;

import io.github.zmqboot.actuate.ZmqHealthIndicator;
import io.github.zmqboot.actuate.ZmqInventory;
import io.github.zmqboot.internal.context.ZmqContextManager;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The {@code zmq} health contributor, when the application has spring-boot-health (the starter works without it)
 * and {@code management.health.zmq.enabled} is not {@code false}.
 * <p>
 * {@code @ConditionalOnEnabledHealthIndicator} sits on the bean method, not on this class: Spring instantiates every
 * condition of a class before evaluating any, so a condition from spring-boot-health must not share a class with the
 * check that spring-boot-health is present.
 */
@AutoConfiguration(after = ZmqAutoConfiguration.class)
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(ZmqContextManager.class)
@Import(ZmqInventoryConfiguration.class)
public final class ZmqHealthContributorAutoConfiguration {

    @Bean
    @ConditionalOnEnabledHealthIndicator("zmq")
    @ConditionalOnMissingBean(name = { "zmqHealthIndicator", "zmqHealthContributor" })
    ZmqHealthIndicator zmqHealthIndicator(ZmqInventory inventory) {
        return new ZmqHealthIndicator(inventory);
    }
}
