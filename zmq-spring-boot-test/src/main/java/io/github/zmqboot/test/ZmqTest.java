package io.github.zmqboot.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * ZeroMQ test support for a Spring test class ({@code @SpringBootTest} or any Spring test context): test methods
 * and lifecycle methods may take a {@link ZmqTestClient} (one per method, with its own ZeroMQ context, closed after
 * it) and the context's {@link ZmqListenerHarness} (also injectable with {@code @Autowired}; cleared before each
 * test), and {@link #ephemeral()} moves chosen sockets to ports nobody else holds.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(ZmqTestExtension.class)
public @interface ZmqTest {

    /**
     * Names of {@code zmq.peers}, {@code zmq.sockets} or {@code zmq.proxies} entries whose {@code bind} endpoints
     * (every side of a proxy) are replaced by ephemeral ones: {@code tcp://…} by {@code tcp://127.0.0.1:*},
     * {@code ipc://…} by {@code ipc://*}; {@code inproc} stays. Find where each one bound with
     * {@link ZmqTestClient#endpoint(String)}. Sockets of the application that connect to a moved endpoint by its
     * configured address no longer reach it: move those with properties instead.
     */
    String[] ephemeral() default {};
}
