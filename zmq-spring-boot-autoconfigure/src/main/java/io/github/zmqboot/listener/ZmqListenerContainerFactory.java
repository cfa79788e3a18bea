package io.github.zmqboot.listener;

import java.lang.reflect.Method;

import io.github.zmqboot.core.ZmqThreadFactory;
import io.github.zmqboot.internal.engine.InboundSource;
import io.github.zmqboot.observation.ZmqObserver;
import org.jspecify.annotations.Nullable;

/**
 * Creates listener containers with the given {@link ListenerInvokerFactory} and threads: every thread of a container
 * (reading, handler and stop threads) comes from the {@link ZmqThreadFactory} (by default: handler threads virtual
 * when {@code spring.threads.virtual.enabled=true} on Java 21+, platform threads named {@code zmq-<id>-N}
 * otherwise). Replace the bean, or the {@link ZmqThreadFactory} bean, to change them.
 */
public class ZmqListenerContainerFactory {

    private final ListenerInvokerFactory invokerFactory;

    private final ZmqThreadFactory threads;

    private @Nullable ZmqObserver observer;

    /**
     * @param invokerFactory creates the handler side of each container
     * @param threads makes every thread of the containers
     */
    public ZmqListenerContainerFactory(ListenerInvokerFactory invokerFactory, ZmqThreadFactory threads) {
        this.invokerFactory = invokerFactory;
        this.threads = threads;
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
        return new ZmqListenerContainer(id, source, invoker, concurrency, autoStartup, this.threads);
    }
}
