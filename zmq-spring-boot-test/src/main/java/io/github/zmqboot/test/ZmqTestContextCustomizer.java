package io.github.zmqboot.test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Registers the {@link ZmqListenerHarness} and, before the application reads its properties, replaces the bind
 * endpoints {@link ZmqTest#ephemeral()} names with ephemeral ones (a property source in front of all others).
 */
class ZmqTestContextCustomizer implements ContextCustomizer {

    static final String HARNESS_BEAN = "zmqListenerHarness";

    private static final List<String> BIND_LISTS = List.of("zmq.peers.%s.bind", "zmq.sockets.%s.bind",
            "zmq.proxies.%s.frontend.bind", "zmq.proxies.%s.backend.bind", "zmq.proxies.%s.capture.bind",
            "zmq.proxies.%s.control.bind");

    private final Set<String> ephemeral;

    ZmqTestContextCustomizer(Set<String> ephemeral) {
        this.ephemeral = new TreeSet<>(ephemeral);
    }

    @Override
    public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
        RootBeanDefinition harness = new RootBeanDefinition(ZmqListenerHarness.class);
        harness.setRole(BeanDefinition.ROLE_INFRASTRUCTURE);
        ((BeanDefinitionRegistry) context.getBeanFactory()).registerBeanDefinition(HARNESS_BEAN, harness);
        if (!this.ephemeral.isEmpty()) {
            ConfigurableEnvironment environment = context.getEnvironment();
            environment.getPropertySources()
                .addFirst(new MapPropertySource("zmqTestEphemeralEndpoints", ephemeralBinds(Binder.get(environment))));
        }
    }

    private Map<String, Object> ephemeralBinds(Binder binder) {
        Map<String, Object> properties = new LinkedHashMap<>();
        for (String name : this.ephemeral) {
            int before = properties.size();
            for (String list : BIND_LISTS) {
                String property = list.formatted(name);
                List<String> binds = binder.bind(property, Bindable.listOf(String.class)).orElse(List.of());
                for (int i = 0; i < binds.size(); i++) {
                    properties.put(property + "[" + i + "]", ephemeral(binds.get(i)));
                }
            }
            if (properties.size() == before) {
                throw new IllegalStateException("@ZmqTest(ephemeral) names '" + name + "', but no zmq.peers."
                        + name + ", zmq.sockets." + name + " or zmq.proxies." + name + " entry binds an endpoint");
            }
        }
        return properties;
    }

    private static String ephemeral(String endpoint) {
        if (endpoint.startsWith("tcp://")) {
            return "tcp://127.0.0.1:*";
        }
        if (endpoint.startsWith("ipc://")) {
            return "ipc://*";
        }
        return endpoint;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ZmqTestContextCustomizer customizer && customizer.ephemeral.equals(this.ephemeral);
    }

    @Override
    public int hashCode() {
        return this.ephemeral.hashCode();
    }
}
