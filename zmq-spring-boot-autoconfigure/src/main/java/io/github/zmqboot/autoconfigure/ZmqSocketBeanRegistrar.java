package io.github.zmqboot.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import io.github.zmqboot.core.ZmqPeer;
import io.github.zmqboot.core.ZmqSocket;
import io.github.zmqboot.proxy.DefaultZmqProxy;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Registers one bean per configured socket, named by its key: a {@link ZmqPeer} per {@code zmq.peers.<name>}, a
 * {@link ZmqSocket} per {@code zmq.sockets.<name>}.
 * <p>
 * Socket names share the application's bean namespace: a name that another bean already has (or that two
 * socket maps both use) fails startup with both origins named. Socket beans are closed by the context manager
 * (not by the bean factory) so that, after the application context closed, every call reports {@code ETERM}.
 */
public class ZmqSocketBeanRegistrar implements BeanDefinitionRegistryPostProcessor, EnvironmentAware {

    /** Name of the {@link ConfiguredSockets} bean the socket beans are built by. */
    static final String CONFIGURED_SOCKETS_BEAN = "zmqConfiguredSockets";

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) throws BeansException {
        ZmqProperties properties = ZmqProperties.bind(this.environment);
        Map<String, String> claimed = new LinkedHashMap<>();
        for (String name : properties.getPeers().keySet()) {
            String path = ZmqProperties.PREFIX + ".peers." + name;
            claim(registry, claimed, name, path);
            registry.registerBeanDefinition(name, socketBean(ZmqPeer.class,
                    () -> configuredSockets(registry).createPeer(name)));
        }
        for (String name : properties.getSockets().keySet()) {
            String path = ZmqProperties.PREFIX + ".sockets." + name;
            claim(registry, claimed, name, path);
            registry.registerBeanDefinition(name, socketBean(ZmqSocket.class,
                    () -> configuredSockets(registry).createSocket(name)));
        }
        for (String name : properties.getProxies().keySet()) {
            String path = ZmqProperties.PREFIX + ".proxies." + name;
            claim(registry, claimed, name, path);
            RootBeanDefinition proxy = socketBean(DefaultZmqProxy.class,
                    () -> configuredSockets(registry).createProxy(name));
            // a proxy is a lifecycle bean that normally stops with the context; this also ends it when the
            // context is torn down without a stop (e.g. a failed refresh), before the context manager closes; not
            // a steering command, so not audited
            proxy.setDestroyMethodName("stop");
            registry.registerBeanDefinition(name, proxy);
        }
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) throws BeansException {
    }

    private static void claim(BeanDefinitionRegistry registry, Map<String, String> claimed, String name, String path) {
        String previous = claimed.putIfAbsent(name, path);
        if (previous != null) {
            throw new InvalidZmqPropertyException(path, name, "the bean name '" + name + "' is used twice: by "
                    + previous + " and by " + path, "Rename one of " + previous + " and " + path + ".", null);
        }
        if (registry.containsBeanDefinition(name)) {
            BeanDefinition existing = registry.getBeanDefinition(name);
            String origin = existing.getResourceDescription() != null ? existing.getResourceDescription()
                    : existing.getBeanClassName();
            throw new InvalidZmqPropertyException(path, name, "the bean name '" + name
                    + "' is already used by another bean (" + origin + ")",
                    "Rename " + path + " or the other bean: socket names are bean names.", null);
        }
    }

    private static <T> RootBeanDefinition socketBean(Class<T> type, Supplier<T> supplier) {
        RootBeanDefinition definition = new RootBeanDefinition(type, supplier);
        // created after, and destroyed before, the factory and the context manager it depends on
        definition.setDependsOn(CONFIGURED_SOCKETS_BEAN);
        // the context manager closes sockets (reporting ETERM afterwards); the bean factory must not
        definition.setDestroyMethodName("");
        return definition;
    }

    private static ConfiguredSockets configuredSockets(BeanDefinitionRegistry registry) {
        return ((BeanFactory) registry).getBean(CONFIGURED_SOCKETS_BEAN, ConfiguredSockets.class);
    }
}
