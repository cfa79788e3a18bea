package io.github.zmqboot.listener;

import java.lang.reflect.Method;

import io.github.zmqboot.convert.ZmqPayloadConverter;
import io.github.zmqboot.core.ZmqThreadFactory;
import io.github.zmqboot.listener.adapter.ListenerInvoker;
import io.github.zmqboot.observation.ZmqObserver;
import io.github.zmqboot.internal.engine.InboundSource;

import org.springframework.beans.factory.config.ConfigurableBeanFactory;

/**
 * Creates listener containers with the application's payload converter and threads: every thread of a container
 * (reading, handler and stop threads) comes from the {@link ZmqThreadFactory} (by default: handler threads virtual
 * when {@code spring.threads.virtual.enabled=true} on Java 21+, platform threads named {@code zmq-<id>-N}
 * otherwise). Replace the bean, or the {@link ZmqThreadFactory} bean, to change them.
 */
public class ZmqListenerContainerFactory {

    private final ZmqPayloadConverter payloadConverter;

    private final ConfigurableBeanFactory beanFactory;

    private final ZmqThreadFactory threads;

    private ZmqObserver observer;

    public ZmqListenerContainerFactory(ZmqPayloadConverter payloadConverter, ConfigurableBeanFactory beanFactory,
            ZmqThreadFactory threads) {
        this.payloadConverter = payloadConverter;
        this.beanFactory = beanFactory;
        this.threads = threads;
    }

    /** Observes every call of the listeners created from now on ({@code zmq.observation.enabled}). */
    public void setObserver(ZmqObserver observer) {
        this.observer = observer;
    }

    /** Creates the container of one listener method (not started). */
    public ZmqListenerContainer create(String id, Object bean, Method method, InboundSource source, Object socketBean,
            int concurrency, boolean autoStartup, ZmqListenerErrorHandler errorHandler) {
        ListenerInvoker invoker = new ListenerInvoker(id, bean, method, source, socketBean, this.payloadConverter,
                errorHandler, this.beanFactory);
        if (this.observer != null) {
            invoker.observeWith(this.observer);
        }
        return new ZmqListenerContainer(id, source, invoker, concurrency, autoStartup, this.threads);
    }
}
