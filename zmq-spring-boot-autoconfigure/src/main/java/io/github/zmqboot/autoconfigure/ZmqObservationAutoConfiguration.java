package io.github.zmqboot.autoconfigure;

import io.github.zmqboot.observation.MicrometerZmqObserver;
import io.github.zmqboot.observation.ZmqListenerObservationConvention;
import io.github.zmqboot.observation.ZmqObserver;
import io.github.zmqboot.observation.ZmqSendObservationConvention;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer observations of listener calls ({@code zmq.listener}) and sends ({@code zmq.send}) when
 * {@code zmq.observation.enabled=true} (off by default, as Spring Boot's {@code spring.kafka.template.observation-enabled})
 * and the application has an {@link ObservationRegistry} (Spring Boot's actuator provides one). Without it, listener
 * calls and sends do no observation work at all. A {@link ZmqListenerObservationConvention} or
 * {@link ZmqSendObservationConvention} bean replaces the default names and key values.
 */
@AutoConfiguration(afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBooleanProperty("zmq.observation.enabled")
public final class ZmqObservationAutoConfiguration {

    @Bean
    @ConditionalOnBean(ObservationRegistry.class)
    @ConditionalOnMissingBean
    ZmqObserver zmqObserver(ObservationRegistry registry,
            ObjectProvider<ZmqListenerObservationConvention> listenerConvention,
            ObjectProvider<ZmqSendObservationConvention> sendConvention) {
        return new MicrometerZmqObserver(registry, listenerConvention.getIfUnique(), sendConvention.getIfUnique());
    }
}
