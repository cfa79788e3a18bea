package io.github.zmqboot.listener;

import java.lang.reflect.Method;
import java.util.concurrent.ThreadFactory;

import io.github.zmqboot.convert.ZmqPayloadConverter;
import io.github.zmqboot.listener.adapter.ListenerInvoker;
import io.github.zmqboot.observation.ZmqObserver;
import io.github.zmqboot.internal.engine.InboundSource;

import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.core.task.VirtualThreadTaskExecutor;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Creates listener containers with the application's payload converter and thread model: handler threads are
 * virtual when {@code spring.threads.virtual.enabled=true} on Java 21+, platform threads named
 * {@code zmq-<id>-N} otherwise. Replace the bean to change either.
 */
public class ZmqListenerContainerFactory {

    private final ZmqPayloadConverter payloadConverter;

    private final ConfigurableBeanFactory beanFactory;

    private final boolean virtualThreads;

    private ZmqObserver observer;

    public ZmqListenerContainerFactory(ZmqPayloadConverter payloadConverter, ConfigurableBeanFactory beanFactory,
            boolean virtualThreads) {
        this.payloadConverter = payloadConverter;
        this.beanFactory = beanFactory;
        this.virtualThreads = virtualThreads;
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
        return new ZmqListenerContainer(id, source, invoker, concurrency, autoStartup, threadFactory(id));
    }

    private ThreadFactory threadFactory(String id) {
        String prefix = "zmq-" + id + "-";
        if (this.virtualThreads) {
            return new VirtualThreadTaskExecutor(prefix).getVirtualThreadFactory();
        }
        CustomizableThreadFactory factory = new CustomizableThreadFactory(prefix);
        factory.setDaemon(true);
        return factory;
    }
}
