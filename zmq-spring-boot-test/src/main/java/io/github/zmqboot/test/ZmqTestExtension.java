package io.github.zmqboot.test;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import org.springframework.context.ApplicationContext;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * The JUnit Jupiter side of {@link ZmqTest}: resolves {@link ZmqTestClient} parameters (closed with the method or
 * class that took them) and {@link ZmqListenerHarness} parameters from the Spring test context, and clears the
 * harness before each test.
 */
class ZmqTestExtension implements ParameterResolver, BeforeEachCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ZmqTestExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == ZmqTestClient.class || type == ZmqListenerHarness.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        ApplicationContext application = SpringExtension.getApplicationContext(extensionContext);
        if (parameterContext.getParameter().getType() == ZmqListenerHarness.class) {
            return application.getBean(ZmqListenerHarness.class);
        }
        ZmqTestClient client = new ZmqTestClient(application);
        // an AutoCloseable in the store is closed when its extension context ends
        extensionContext.getStore(NAMESPACE).put(client, client);
        return client;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        SpringExtension.getApplicationContext(context).getBeanProvider(ZmqListenerHarness.class)
            .ifAvailable(ZmqListenerHarness::reset);
    }
}
