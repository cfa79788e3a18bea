package io.github.zmqboot.autoconfigure;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.boot.context.properties.bind.BindableRuntimeHintsRegistrar;

/**
 * The configuration properties, for a native image: {@link ZmqProperties} with everything under it (peers, sockets,
 * proxies and their sides), which Spring Boot binds by reflection. Registered through
 * {@code META-INF/spring/aot.factories}.
 */
class ZmqRuntimeHints implements RuntimeHintsRegistrar {

    @Override
    public void registerHints(RuntimeHints hints, ClassLoader classLoader) {
        BindableRuntimeHintsRegistrar.forTypes(ZmqProperties.class).registerHints(hints, classLoader);
    }
}
