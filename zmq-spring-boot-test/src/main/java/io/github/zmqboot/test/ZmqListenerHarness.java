package io.github.zmqboot.test;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.zmqboot.annotation.ZmqListener;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;

import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.core.BridgeMethodResolver;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Records every call of every {@code @ZmqListener} method of the application, with its arguments, its return value
 * or its exception, and lets a test wait for a number of them. The handler stays as it is: each bean with listener
 * methods is wrapped in a recording proxy before the listener containers are made (so its listener methods must be
 * neither private nor final, as for any Spring AOP proxy). {@link ZmqTest} registers it in the test's context.
 */
public class ZmqListenerHarness implements BeanPostProcessor, BeanFactoryAware, Ordered {

    private static final Duration DEFAULT_TIMEOUT = ZmqTestClient.DEFAULT_TIMEOUT;

    private final Map<String, List<ListenerInvocation>> invocations = new ConcurrentHashMap<>();

    private ConfigurableBeanFactory beanFactory;

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = (ConfigurableBeanFactory) beanFactory;
    }

    /** Just before the processor of {@code @ZmqListener}, which then registers the recording proxy. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE - 1;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
        Class<?> targetClass = AopUtils.getTargetClass(bean);
        Map<Method, ZmqListener> methods = MethodIntrospector.selectMethods(targetClass,
                (MethodIntrospector.MetadataLookup<ZmqListener>) method -> AnnotatedElementUtils
                    .findMergedAnnotation(method, ZmqListener.class));
        if (methods.isEmpty()) {
            return bean;
        }
        Map<Method, String> ids = new ConcurrentHashMap<>();
        methods.forEach((method, annotation) -> {
            String id = this.beanFactory.resolveEmbeddedValue(annotation.id());
            id = id == null || id.isEmpty() ? beanName + "." + method.getName() : id;
            ids.put(method, id);
            this.invocations.putIfAbsent(id, Collections.synchronizedList(new ArrayList<>()));
        });
        MethodInterceptor recorder = invocation -> record(invocation, ids, targetClass);
        if (bean instanceof Advised advised && !advised.isFrozen()) {
            advised.addAdvice(0, recorder);
            return bean;
        }
        ProxyFactory proxyFactory = new ProxyFactory(bean);
        proxyFactory.setProxyTargetClass(true);
        proxyFactory.addAdvice(recorder);
        return proxyFactory.getProxy(targetClass.getClassLoader());
    }

    private Object record(MethodInvocation invocation, Map<Method, String> ids, Class<?> targetClass)
            throws Throwable {
        Method method = BridgeMethodResolver
            .findBridgedMethod(AopUtils.getMostSpecificMethod(invocation.getMethod(), targetClass));
        String id = ids.get(method);
        if (id == null) {
            return invocation.proceed();
        }
        List<Object> arguments = Collections.unmodifiableList(Arrays.asList(invocation.getArguments().clone()));
        try {
            Object result = invocation.proceed();
            add(new ListenerInvocation(id, arguments, result, null));
            return result;
        }
        catch (Throwable failure) {
            add(new ListenerInvocation(id, arguments, null, failure));
            throw failure;
        }
    }

    private void add(ListenerInvocation invocation) {
        List<ListenerInvocation> list = this.invocations.get(invocation.listenerId());
        synchronized (list) {
            list.add(invocation);
            list.notifyAll();
        }
    }

    /** The calls of one listener recorded so far (since the last {@link #reset()}), in order. */
    public List<ListenerInvocation> invocations(String listenerId) {
        List<ListenerInvocation> list = listFor(listenerId);
        synchronized (list) {
            return List.copyOf(list);
        }
    }

    /** Waits up to 10 s for {@code count} calls of the listener; see {@link #await(String, int, Duration)}. */
    public List<ListenerInvocation> await(String listenerId, int count) {
        return await(listenerId, count, DEFAULT_TIMEOUT);
    }

    /**
     * Waits until the listener has been called at least {@code count} times since the last {@link #reset()} and
     * returns those calls (all of them, in order); fails the test when they have not happened within
     * {@code timeout}.
     */
    public List<ListenerInvocation> await(String listenerId, int count, Duration timeout) {
        List<ListenerInvocation> list = listFor(listenerId);
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (list) {
            while (list.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("listener '" + listenerId + "' was called " + list.size() + " of "
                            + count + " times within " + timeout);
                }
                try {
                    list.wait(Math.max(1, left / 1_000_000));
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while waiting for listener '" + listenerId + "'", ex);
                }
            }
            return List.copyOf(list);
        }
    }

    /** Forgets every recorded call ({@link ZmqTest} does it before each test). */
    public void reset() {
        this.invocations.values().forEach(list -> {
            synchronized (list) {
                list.clear();
            }
        });
    }

    private List<ListenerInvocation> listFor(String listenerId) {
        List<ListenerInvocation> list = this.invocations.get(listenerId);
        if (list == null) {
            throw new IllegalArgumentException("No @ZmqListener with id '" + listenerId + "'; the listeners are "
                    + this.invocations.keySet());
        }
        return list;
    }
}
