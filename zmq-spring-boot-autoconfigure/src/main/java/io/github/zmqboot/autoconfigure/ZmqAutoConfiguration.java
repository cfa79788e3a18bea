package io.github.zmqboot.autoconfigure;

import io.github.zmqboot.core.SocketEventListener;
import io.github.zmqboot.core.ZmqContextCustomizer;
import io.github.zmqboot.core.ZmqThreadFactory;
import io.github.zmqboot.internal.context.ZmqContextManager;
import io.github.zmqboot.convert.ZmqPayloadConverter;
import io.github.zmqboot.internal.monitor.SteeringAudit;
import io.github.zmqboot.observation.ZmqObserver;
import io.github.zmqboot.internal.engine.InvalidSocketOptionException;
import io.github.zmqboot.internal.engine.SocketOptions;
import io.github.zmqboot.core.ZmqSocketCustomizer;
import io.github.zmqboot.internal.engine.ZmqSocketFactory;
import io.github.zmqboot.internal.socket.ZmqSockets;
import org.zeromq.ZMQ;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.thread.Threading;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.messaging.converter.JacksonJsonMessageConverter;
import org.springframework.messaging.converter.MessageConverter;

/**
 * Auto-configuration for ZeroMQ on JeroMQ: one context ({@link ZmqContextManager}), the socket factory every
 * socket comes from, the payload converter (JSON via Jackson by default), and one bean per configured peer.
 * <p>
 * Active when JeroMQ is on the classpath and {@code zmq.enabled} is not {@code false}. Every bean can be
 * replaced by one of the same type (the converter by a bean named {@code zmqMessageConverter});
 * {@link ZmqContextCustomizer} and {@link ZmqSocketCustomizer} beans customise the context and every socket;
 * {@link SocketEventListener} beans receive the events of every socket; a {@link ZmqThreadFactory} bean makes every
 * thread the starter starts.
 */
@AutoConfiguration
@ConditionalOnClass(ZMQ.class)
@ConditionalOnBooleanProperty(name = "zmq.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ZmqProperties.class)
@Import(ZmqListenerConfiguration.class)
public final class ZmqAutoConfiguration {

    /** Bean name of the Spring {@link MessageConverter} used for payloads that are not bytes or strings. */
    public static final String MESSAGE_CONVERTER_BEAN = "zmqMessageConverter";

    /** Bean name of the starter's {@link ZmqThreadFactory} (backs off when the application declares one). */
    public static final String THREAD_FACTORY_BEAN = "zmqThreadFactory";

    /**
     * Platform threads with the starter's names; handler threads virtual when {@code spring.threads.virtual.enabled}
     * is true on Java 21+ (every other thread waits inside the engine, so stays a platform thread).
     */
    @Bean(name = THREAD_FACTORY_BEAN)
    @ConditionalOnMissingBean
    ZmqThreadFactory zmqThreadFactory(Environment environment) {
        return Threading.VIRTUAL.isActive(environment) ? new VirtualHandlerThreads() : ZmqThreadFactory.platform();
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    ZmqContextManager zmqContextManager(ZmqProperties properties, ObjectProvider<ZmqContextCustomizer> customizers,
            ZmqThreadFactory threads) {
        ZmqProperties.Context context = properties.getContext();
        if (context.getIoThreads() < 0) {
            throw new InvalidZmqPropertyException("zmq.context.io-threads", context.getIoThreads(),
                    "must not be negative", "Set zmq.context.io-threads to 1 or more (0 allows inproc only).", null);
        }
        if (context.getMaxSockets() < 1) {
            throw new InvalidZmqPropertyException("zmq.context.max-sockets", context.getMaxSockets(),
                    "must be at least 1", "Set zmq.context.max-sockets to the most sockets the application needs.", null);
        }
        ZmqContextManager manager = new ZmqContextManager(context.getIoThreads(), context.getMaxSockets(), threads);
        customizers.orderedStream().forEach(customizer -> customizer.customize(manager.context()));
        return manager;
    }

    @Bean(name = MESSAGE_CONVERTER_BEAN)
    @ConditionalOnMissingBean(name = MESSAGE_CONVERTER_BEAN)
    MessageConverter zmqMessageConverter(ObjectProvider<JsonMapper> jsonMapper) {
        JsonMapper mapper = jsonMapper.getIfAvailable();
        return mapper != null ? new JacksonJsonMessageConverter(mapper) : new JacksonJsonMessageConverter();
    }

    @Bean
    @ConditionalOnMissingBean
    ZmqPayloadConverter zmqPayloadConverter(@Qualifier(MESSAGE_CONVERTER_BEAN) MessageConverter messageConverter) {
        return new ZmqPayloadConverter(messageConverter);
    }

    @Bean
    @ConditionalOnMissingBean
    ZmqSocketFactory zmqSocketFactory(ZmqContextManager contextManager, ZmqProperties properties,
            ObjectProvider<ZmqSocketCustomizer> customizers, ObjectProvider<SslBundles> sslBundles) {
        SocketOptions defaults = properties.getDefaults().toSocketOptions();
        try {
            defaults.validate();
        }
        catch (InvalidSocketOptionException ex) {
            throw new InvalidZmqPropertyException("zmq.defaults." + ex.option(), ex.value(), ex.reason(),
                    "Correct zmq.defaults." + ex.option() + " (see the README's table of socket options).", ex);
        }
        SocketOptions fallback = defaults.withFallback(SocketOptions.lingerOnly(properties.getContext().getLinger()));
        return new ZmqSocketFactory(contextManager, fallback, customizers.orderedStream().toList(),
                new SslBundleTlsMaterials(sslBundles));
    }

    /** The socket beans' factory over the engine sockets (it also starts the context's ZAP handler on demand). */
    @Bean
    @ConditionalOnMissingBean
    ZmqSockets zmqSockets(ZmqSocketFactory socketFactory, ZmqPayloadConverter payloadConverter) {
        return new ZmqSockets(socketFactory, payloadConverter);
    }

    @Bean
    @ConditionalOnMissingBean
    SteeringAudit zmqSteeringAudit(ApplicationEventPublisher eventPublisher) {
        return new SteeringAudit(eventPublisher::publishEvent);
    }

    @Bean(name = ZmqSocketBeanRegistrar.CONFIGURED_SOCKETS_BEAN)
    ConfiguredSockets zmqConfiguredSockets(ZmqProperties properties, ZmqSockets sockets,
            SteeringAudit steeringAudit, ObjectProvider<ZmqObserver> observer) {
        return new ConfiguredSockets(properties, sockets, steeringAudit, observer.getIfAvailable());
    }

    /** Registers every {@link SocketEventListener} bean with the socket monitor. */
    @Bean
    static SocketEventListenerRegistrar zmqSocketEventListenerRegistrar() {
        return new SocketEventListenerRegistrar();
    }

    @Bean
    static ZmqSocketBeanRegistrar zmqSocketBeanRegistrar() {
        return new ZmqSocketBeanRegistrar();
    }
}
