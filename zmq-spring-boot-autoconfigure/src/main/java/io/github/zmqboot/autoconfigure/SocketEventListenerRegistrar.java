package io.github.zmqboot.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import io.github.zmqboot.core.SocketEventListener;
import io.github.zmqboot.internal.engine.ZmqSocketFactory;
import io.github.zmqboot.internal.monitor.SocketMonitor;

import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Registers every {@link SocketEventListener} bean with the socket monitor of every {@link ZmqSocketFactory} bean, as
 * each bean is initialised (as Spring's own detector does for application listeners). A listener bean may therefore
 * depend on socket beans; one initialised before the socket factory (any that does not depend on it) sees the events
 * of startup too.
 */
final class SocketEventListenerRegistrar implements BeanPostProcessor {

    private final List<SocketEventListener> listeners = new ArrayList<>();

    private final List<SocketMonitor> monitors = new ArrayList<>();

    @Override
    public synchronized Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof SocketEventListener listener) {
            this.listeners.add(listener);
            this.monitors.forEach(monitor -> monitor.addListener(listener));
        }
        if (bean instanceof ZmqSocketFactory factory) {
            SocketMonitor monitor = factory.socketMonitor();
            this.monitors.add(monitor);
            this.listeners.forEach(monitor::addListener);
        }
        return bean;
    }
}
