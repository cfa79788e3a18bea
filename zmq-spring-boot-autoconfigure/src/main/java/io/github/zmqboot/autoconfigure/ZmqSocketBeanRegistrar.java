package io.github.zmqboot.autoconfigure;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import io.github.zmqboot.core.ZmqPeer;
import io.github.zmqboot.core.ZmqSocket;
import io.github.zmqboot.internal.proxy.DefaultZmqProxy;
import org.springframework.beans.BeansException;
import org.springframework.aot.generate.GenerationContext;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.aot.BeanRegistrationCode;
import org.springframework.beans.factory.aot.BeanRegistrationCodeFragments;
import org.springframework.beans.factory.aot.BeanRegistrationCodeFragmentsDecorator;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.javapoet.CodeBlock;
import org.springframework.util.StringUtils;

/**
 * Registers one bean per configured socket, named by its key: a {@link ZmqPeer} per {@code zmq.peers.<name>}, a
 * {@link ZmqSocket} per {@code zmq.sockets.<name>}, a {@code ZmqProxy} per {@code zmq.proxies.<name>}.
 * <p>
 * Bean definitions must exist before any bean does, so before the {@link ZmqProperties} bean is bound: this
 * registrar reads only the names (the keys of the three maps, as the binder finds them), and the values are bound
 * once, into that bean, which reports a bad value or an unknown key with its full property path.
 * <p>
 * Socket names share the application's bean namespace: a name that another bean already has (or that two
 * socket maps both use) fails startup with both origins named. Socket beans are closed by the context manager
 * (not by the bean factory) so that, after the application context closed, every call reports {@code ETERM}.
 * <p>
 * Ahead-of-time processing: each definition names a factory method of {@link ConfiguredSockets} and the socket's
 * name, which AOT writes as code; the socket itself, its options and endpoints, is still made from the properties at
 * run time. The set of socket beans is fixed when AOT runs, and this registrar is left out of the generated code.
 */
class ZmqSocketBeanRegistrar
        implements BeanDefinitionRegistryPostProcessor, EnvironmentAware, BeanRegistrationAotProcessor {

    /** Name of the {@link ConfiguredSockets} bean the socket beans are built by. */
    static final String CONFIGURED_SOCKETS_BEAN = "zmqConfiguredSockets";

    /** A map whose values are left unconverted: nested maps or strings, as the keys' descendants are. */
    private static final Bindable<Map<String, Object>> NAMES = Bindable.mapOf(String.class, Object.class);

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) throws BeansException {
        Binder binder = Binder.get(this.environment);
        Map<String, String> claimed = new LinkedHashMap<>();
        for (String name : names(binder, "peers")) {
            claim(registry, claimed, name, ZmqProperties.PREFIX + ".peers." + name);
            registry.registerBeanDefinition(name, socketBean(ZmqPeer.class, "createPeer", name));
        }
        for (String name : names(binder, "sockets")) {
            claim(registry, claimed, name, ZmqProperties.PREFIX + ".sockets." + name);
            registry.registerBeanDefinition(name, socketBean(ZmqSocket.class, "createSocket", name));
        }
        for (String name : names(binder, "proxies")) {
            claim(registry, claimed, name, ZmqProperties.PREFIX + ".proxies." + name);
            RootBeanDefinition proxy = socketBean(DefaultZmqProxy.class, "createProxy", name);
            // a proxy is a lifecycle bean that normally stops with the context; this also ends it when the
            // context is torn down without a stop (e.g. a failed refresh), before the context manager closes; not
            // a steering command, so not audited
            proxy.setDestroyMethodName("stop");
            registry.registerBeanDefinition(name, proxy);
        }
    }

    /**
     * The keys of the map {@code zmq.<map>}, found by the binder as it finds the keys of the properties bean's map,
     * without binding (or checking) their values: the {@link ZmqProperties} bean does that, once.
     */
    private static Set<String> names(Binder binder, String map) {
        return binder.bind(ZmqProperties.PREFIX + "." + map, NAMES).map(Map::keySet).orElseGet(Set::of);
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) throws BeansException {
    }

    /**
     * Keeps "no destroy method" in the generated definitions of sockets and peers: AOT leaves an empty destroy method
     * name out, and the bean factory would then close them as {@link AutoCloseable}s before the context manager does.
     */
    @Override
    public BeanRegistrationAotContribution processAheadOfTime(RegisteredBean registeredBean) {
        RootBeanDefinition definition = registeredBean.getMergedBeanDefinition();
        String[] destroyMethods = definition.getDestroyMethodNames();
        boolean ours = CONFIGURED_SOCKETS_BEAN.equals(definition.getFactoryBeanName());
        // (AOT has resolved the empty name to none by now; a proxy keeps its "terminate")
        if (!ours || (destroyMethods != null && Arrays.stream(destroyMethods).anyMatch(StringUtils::hasText))) {
            return null;
        }
        return BeanRegistrationAotContribution.withCustomCodeFragments(
                fragments -> new BeanRegistrationCodeFragmentsDecorator(fragments) {

                    @Override
                    public CodeBlock generateSetBeanDefinitionPropertiesCode(GenerationContext generationContext,
                            BeanRegistrationCode beanRegistrationCode, RootBeanDefinition beanDefinition,
                            Predicate<String> attributeFilter) {
                        return CodeBlock.builder()
                            .add(super.generateSetBeanDefinitionPropertiesCode(generationContext,
                                    beanRegistrationCode, beanDefinition, attributeFilter))
                            .addStatement("$L.setDestroyMethodName(\"\")",
                                    BeanRegistrationCodeFragments.BEAN_DEFINITION_VARIABLE)
                            .build();
                    }
                });
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

    /** A definition AOT can write as code: {@code zmqConfiguredSockets.<factoryMethod>(name)}. */
    private static RootBeanDefinition socketBean(Class<?> type, String factoryMethod, String name) {
        RootBeanDefinition definition = new RootBeanDefinition();
        definition.setTargetType(type);
        definition.setFactoryBeanName(CONFIGURED_SOCKETS_BEAN);
        definition.setFactoryMethodName(factoryMethod);
        definition.getConstructorArgumentValues().addIndexedArgumentValue(0, name);
        // created after, and destroyed before, the factory and the context manager it depends on
        definition.setDependsOn(CONFIGURED_SOCKETS_BEAN);
        // the context manager closes sockets (reporting ETERM afterwards); the bean factory must not
        definition.setDestroyMethodName("");
        return definition;
    }
}
