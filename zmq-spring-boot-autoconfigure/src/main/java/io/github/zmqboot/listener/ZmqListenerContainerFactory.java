package io.github.zmqboot.listener;

import java.lang.reflect.Method;
import java.util.concurrent.ThreadFactory;

import io.github.zmqboot.internal.engine.InboundSource;
import io.github.zmqboot.observation.ZmqObserver;
import org.jspecify.annotations.Nullable;

import org.springframework.core.task.VirtualThreadTaskExecutor;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Creates listener containers with the given {@link ListenerInvokerFactory} and thread model: handler threads are
 * virtual when {@code spring.threads.virtual.enabled=true} on Java 21+, platform threads named
 * {@code zmq-<id>-N} otherwise. Replace the bean to change either.
 */
public class ZmqListenerContainerFactory {

    private final ListenerInvokerFactory invokerFactory;

    private final boolean virtualThreads;

    private @Nullable ZmqObserver observer;

    /**
     * @param invokerFactory creates the handler side of each container
     * @param virtualThreads whether handler threads are virtual
     */
    public ZmqListenerContainerFactory(ListenerInvokerFactory invokerFactory, boolean virtualThreads) {
        this.invokerFactory = invokerFactory;
        this.virtualThreads = virtualThreads;
    }

    /** Observes every call of the listeners created from now on ({@code zmq.observation.enabled}). */
    public void setObserver(ZmqObserver observer) {
        this.observer = observer;
    }

    /** Creates the container of one listener method (not started). */
    public ZmqListenerContainer create(String id, Object bean, Method method, InboundSource source, Object socketBean,
            int concurrency, boolean autoStartup, @Nullable ZmqListenerErrorHandler errorHandler) {
        ListenerInvoker<?> invoker = this.invokerFactory.create(id, bean, method, source, socketBean, errorHandler,
                this.observer);
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
