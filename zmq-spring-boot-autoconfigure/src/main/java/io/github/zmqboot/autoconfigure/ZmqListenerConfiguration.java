package io.github.zmqboot.autoconfigure;

import io.github.zmqboot.annotation.RoutingId;
import io.github.zmqboot.annotation.ZmqListenerAnnotationBeanPostProcessor;
import io.github.zmqboot.convert.ZmqPayloadConverter;
import io.github.zmqboot.core.ZmqThreadFactory;
import io.github.zmqboot.listener.ZmqListenerContainerFactory;
import io.github.zmqboot.listener.ZmqListenerEndpointRegistry;
import io.github.zmqboot.listener.adapter.MessagingListenerInvokerFactory;
import io.github.zmqboot.internal.monitor.SteeringAudit;
import io.github.zmqboot.observation.ZmqObserver;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The {@code @ZmqListener} infrastructure: annotation processing, container factory and endpoint registry. */
@Configuration(proxyBeanMethods = false)
class ZmqListenerConfiguration {

    /** Bean name of the {@link ZmqListenerEndpointRegistry}. */
    static final String REGISTRY_BEAN = "zmqListenerEndpointRegistry";

    @Bean
    static ZmqListenerAnnotationBeanPostProcessor zmqListenerAnnotationBeanPostProcessor() {
        return new ZmqListenerAnnotationBeanPostProcessor();
    }

    @Bean(name = REGISTRY_BEAN)
    @ConditionalOnMissingBean
    ZmqListenerEndpointRegistry zmqListenerEndpointRegistry(SteeringAudit steeringAudit) {
        return new ZmqListenerEndpointRegistry(steeringAudit);
    }

    @Bean
    @ConditionalOnMissingBean
    ZmqListenerContainerFactory zmqListenerContainerFactory(ZmqPayloadConverter payloadConverter,
            ConfigurableListableBeanFactory beanFactory, ZmqThreadFactory threads, ObjectProvider<ZmqObserver> observer) {
        ZmqListenerContainerFactory factory = new ZmqListenerContainerFactory(new MessagingListenerInvokerFactory(
                payloadConverter, beanFactory, RoutingId.class), threads);
        observer.ifAvailable(factory::setObserver);
        return factory;
    }
}
