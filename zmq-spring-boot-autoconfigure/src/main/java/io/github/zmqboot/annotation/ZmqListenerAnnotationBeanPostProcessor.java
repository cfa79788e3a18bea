package io.github.zmqboot.annotation;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.github.zmqboot.convert.ZmqPayloadConverter;
import io.github.zmqboot.listener.ListenerConfigurationException;
import io.github.zmqboot.listener.ZmqListenerContainerFactory;
import io.github.zmqboot.listener.ZmqListenerEndpointRegistry;
import io.github.zmqboot.listener.ZmqListenerErrorHandler;
import io.github.zmqboot.internal.engine.InboundSource;
import org.zeromq.SocketType;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanExpressionContext;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;

/**
 * Finds {@link ZmqListener @ZmqListener} methods on every bean (proxied beans and meta-annotations included), and,
 * once every singleton exists ({@link #afterSingletonsInstantiated()}, as Spring Kafka's post-processor does),
 * resolves their attributes ({@code ${…}} placeholders, {@code #{…}} SpEL), checks them, and registers one listener
 * container per method with the {@link ZmqListenerEndpointRegistry}. A bean created later (lazy, prototype) has its
 * containers registered at once. A method that cannot work fails startup with a {@link ListenerConfigurationException}
 * naming it.
 */
public class ZmqListenerAnnotationBeanPostProcessor
        implements BeanPostProcessor, BeanFactoryAware, SmartInitializingSingleton, Ordered {

    /** The socket types a listener reads (the README's list): each delivers messages with a known reply path. */
    private static final Set<SocketType> LISTENER_TYPES = EnumSet.of(SocketType.PEER, SocketType.SERVER,
            SocketType.ROUTER, SocketType.DEALER, SocketType.REP, SocketType.PULL, SocketType.SUB, SocketType.PAIR,
            SocketType.DISH, SocketType.GATHER);

    private static final String LISTENER_TYPE_NAMES = "PEER, SERVER, ROUTER, DEALER, REP, PULL, SUB, PAIR, DISH or "
            + "GATHER";


    private final Set<Class<?>> classesWithoutListeners = ConcurrentHashMap.newKeySet();

    private ConfigurableListableBeanFactory beanFactory;

    /** Registrations found before every singleton existed; null once they were made. */
    private List<Runnable> pending = new ArrayList<>();

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = (ConfigurableListableBeanFactory) beanFactory;
    }

    @Override
    public int getOrder() {
        return LOWEST_PRECEDENCE;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
        Class<?> targetClass = AopUtils.getTargetClass(bean);
        if (this.classesWithoutListeners.contains(targetClass)
                || !AnnotationUtils.isCandidateClass(targetClass, ZmqListener.class)) {
            return bean;
        }
        Map<Method, ZmqListener> methods = MethodIntrospector.selectMethods(targetClass,
                (MethodIntrospector.MetadataLookup<ZmqListener>) method -> AnnotatedElementUtils
                    .findMergedAnnotation(method, ZmqListener.class));
        if (methods.isEmpty()) {
            this.classesWithoutListeners.add(targetClass);
            return bean;
        }
        methods.forEach((method, annotation) -> registerWhenReady(() -> register(bean, beanName, method, annotation)));
        return bean;
    }

    private void registerWhenReady(Runnable registration) {
        synchronized (this) {
            if (this.pending != null) {
                this.pending.add(registration);
                return;
            }
        }
        registration.run();
    }

    /** Creates and registers the containers of every listener method found so far. */
    @Override
    public void afterSingletonsInstantiated() {
        List<Runnable> registrations;
        synchronized (this) {
            registrations = this.pending;
            this.pending = null;
        }
        if (registrations != null) {
            registrations.forEach(Runnable::run);
        }
    }

    private void register(Object bean, String beanName, Method method, ZmqListener annotation) {
        String id = resolve(annotation.id());
        if (id.isEmpty()) {
            id = beanName + "." + method.getName();
        }
        String peer = resolve(annotation.peer());
        String socket = resolve(annotation.socket());
        if (peer.isEmpty() == socket.isEmpty()) {
            throw new ListenerConfigurationException(method, peer.isEmpty() ? "names no socket" : "names both peer '"
                    + peer + "' and socket '" + socket + "'", "Set exactly one of peer (a zmq.peers name) and socket "
                    + "(a zmq.sockets name).");
        }
        Object socketBean = socketBean(method, peer.isEmpty() ? "socket" : "peer", peer.isEmpty() ? socket : peer);
        InboundSource source = (InboundSource) socketBean;
        if (!LISTENER_TYPES.contains(source.type())) {
            throw new ListenerConfigurationException(method, "a listener cannot read the " + source.type()
                    + " socket '" + (peer.isEmpty() ? socket : peer) + "' (listeners read "
                    + LISTENER_TYPE_NAMES + " sockets)", "Listen on a socket of type " + LISTENER_TYPE_NAMES
                                    + ", or send from this socket with its bean's send methods.");
        }
        int concurrency = parseConcurrency(method, resolve(annotation.concurrency()));
        if (source.type() == SocketType.REP && concurrency != 1) {
            throw new ListenerConfigurationException(method, "a REP socket must answer each request before the "
                    + "next, so it needs concurrency 1, not " + concurrency, "Set concurrency to \"1\" (or use a "
                    + "ROUTER socket for concurrent request handling).");
        }
        ListenerParameters.check(method, source.type(), this.beanFactory.getBean(ZmqPayloadConverter.class));
        String autoStartup = resolve(annotation.autoStartup());
        if (!autoStartup.equals("true") && !autoStartup.equals("false")) {
            throw new ListenerConfigurationException(method, "autoStartup '" + autoStartup + "' is not a boolean",
                    "Set autoStartup to \"true\" or \"false\".");
        }
        ZmqListenerErrorHandler errorHandler = errorHandler(method, resolve(annotation.errorHandler()));
        Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
        ZmqListenerContainerFactory factory = this.beanFactory.getBean(ZmqListenerContainerFactory.class);
        try {
            this.beanFactory.getBean(ZmqListenerEndpointRegistry.class)
                .registerListenerContainer(factory.create(id, bean, invocable, source, socketBean, concurrency,
                        Boolean.parseBoolean(autoStartup), errorHandler));
        }
        catch (IllegalStateException ex) {
            throw new ListenerConfigurationException(method, ex.getMessage(), "Give each listener its own id, and "
                    + "each socket at most one listener (a listener owns its socket's receiving side).");
        }
    }

    private Object socketBean(Method method, String kind, String name) {
        String property = kind.equals("peer") ? "zmq.peers." + name : "zmq.sockets." + name;
        Object socketBean;
        try {
            socketBean = this.beanFactory.getBean(name);
        }
        catch (NoSuchBeanDefinitionException ex) {
            throw new ListenerConfigurationException(method, "no " + kind + " named '" + name + "'",
                    "Declare it under " + property + " or correct the name.");
        }
        boolean isPeer = socketBean instanceof InboundSource source && source.type() == SocketType.PEER;
        boolean fits = socketBean instanceof InboundSource && (kind.equals("peer") == isPeer);
        if (!fits) {
            throw new ListenerConfigurationException(method, "the bean '" + name + "' is not a " + kind
                    + " (it is a " + socketBean.getClass().getName() + ")", "Name a socket declared under "
                    + (kind.equals("peer") ? "zmq.peers" : "zmq.sockets") + ".");
        }
        return socketBean;
    }

    private int parseConcurrency(Method method, String value) {
        try {
            int concurrency = Integer.parseInt(value.trim());
            if (concurrency >= 1) {
                return concurrency;
            }
        }
        catch (NumberFormatException ex) {
            // reported below
        }
        throw new ListenerConfigurationException(method, "concurrency '" + value + "' is not a positive number",
                "Set concurrency to the number of handler threads, e.g. \"1\" or \"4\".");
    }

    private ZmqListenerErrorHandler errorHandler(Method method, String name) {
        if (name.isEmpty()) {
            return null;
        }
        try {
            return this.beanFactory.getBean(name, ZmqListenerErrorHandler.class);
        }
        catch (BeansException ex) {
            throw new ListenerConfigurationException(method, "no ZmqListenerErrorHandler bean named '" + name + "'",
                    "Declare a ZmqListenerErrorHandler bean with that name or correct errorHandler.");
        }
    }

    private String resolve(String value) {
        String resolved = this.beanFactory.resolveEmbeddedValue(value);
        if (resolved != null && this.beanFactory.getBeanExpressionResolver() != null) {
            Object evaluated = this.beanFactory.getBeanExpressionResolver()
                .evaluate(resolved, new BeanExpressionContext(this.beanFactory, null));
            return evaluated != null ? evaluated.toString() : "";
        }
        return resolved != null ? resolved : "";
    }
}
