package io.github.zmqboot.guard;

import java.time.Duration;
import java.util.Set;

import io.github.zmqboot.autoconfigure.ZmqAutoConfiguration;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A test application with only the ZeroMQ auto-configuration, started with {@code zmq.*} properties, and the
 * check that it closes within the longest linger plus one second with its engine really terminated.
 */
@Configuration(proxyBeanMethods = false)
@ImportAutoConfiguration(ZmqAutoConfiguration.class)
class GuardTestApplication {

    /** Every socket's linger in these tests: the context's default, {@code zmq.context.linger}. */
    static final Duration LINGER = Duration.ofSeconds(1);

    /**
     * A started application. {@code ioThreadsBefore}: the JeroMQ I/O threads of the JVM before it started (the
     * engine starts a context's I/O threads with its first socket, so {@link #ioThreads()} is asked after that).
     */
    record Running(ConfigurableApplicationContext context, Set<Long> ioThreadsBefore) {

        /** The I/O threads of this application's ZeroMQ context (call once it has a socket). */
        IoThreads ioThreads() {
            return IoThreads.startedSince(this.ioThreadsBefore);
        }

        <T> T bean(String name, Class<T> type) {
            return this.context.getBean(name, type);
        }

        <T> T bean(Class<T> type) {
            return this.context.getBean(type);
        }

        /**
         * Closes the application context and asserts the promise: {@code close()} returns within linger + 1 s, and
         * the engine really terminated (its I/O threads ended; the context manager gives up waiting on a stuck engine
         * after that bound, so the return alone would not prove it).
         */
        void closeWithinLingerPlusOneSecond() {
            IoThreads engineThreads = ioThreads();
            long start = System.nanoTime();
            this.context.close();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(took).as("application context close").isLessThan(LINGER.plusSeconds(1));
            await("JeroMQ I/O threads ended").atMost(Duration.ofSeconds(1)).until(() -> !engineThreads.anyAlive());
        }
    }

    static Running start(String... properties) {
        Set<Long> before = IoThreads.snapshot();
        ConfigurableApplicationContext context = new SpringApplicationBuilder(GuardTestApplication.class)
            .web(WebApplicationType.NONE)
            .bannerMode(Banner.Mode.OFF)
            .logStartupInfo(false)
            .registerShutdownHook(false)
            .properties("zmq.context.linger=" + LINGER.toMillis() + "ms")
            .properties(properties)
            .run();
        return new Running(context, before);
    }
}
