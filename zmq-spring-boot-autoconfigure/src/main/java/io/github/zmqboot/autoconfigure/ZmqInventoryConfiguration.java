package io.github.zmqboot.autoconfigure;

import io.github.zmqboot.actuate.ZmqInventory;
import io.github.zmqboot.actuate.ZmqSocketEvents;
import io.github.zmqboot.internal.context.ZmqContextManager;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the health contributor, the endpoint and the meters all read: the {@link ZmqInventory} of sockets, proxies
 * and listeners, and the recent {@link ZmqSocketEvents}. Imported by each of their auto-configurations, so it exists
 * when at least one of them applies.
 */
@Configuration(proxyBeanMethods = false)
class ZmqInventoryConfiguration {

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
}
