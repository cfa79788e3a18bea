package io.github.zmqboot.internal.socket;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import io.github.zmqboot.core.ZmqSocket;
import org.junit.jupiter.api.Test;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Socket beans cost no thread each: an application with 1,000 PUSH beans (a type the engine does not make
 * thread-safe) starts with the same few threads as one with a single bean, and every bean works.
 */
class ManySocketBeansTest {

    private static final int BEANS = 1_000;

    @Test
    void aThousandPushBeansAddNoThreads() {
        int baseline;
        try (ConfigurableApplicationContext one = start(1)) {
            baseline = ManagementFactory.getThreadMXBean().getThreadCount();
        }
        try (ConfigurableApplicationContext many = start(BEANS)) {
            int threads = ManagementFactory.getThreadMXBean().getThreadCount();
            assertThat(threads).as("threads with %d beans against %d with one", BEANS, baseline)
                .isLessThanOrEqualTo(baseline + 5);
            ZmqSocket last = many.getBean("s" + (BEANS - 1), ZmqSocket.class);
            String endpoint = last.bind("tcp://127.0.0.1:0");
            assertThat(endpoint).startsWith("tcp://127.0.0.1:");
        }
    }

    private static ConfigurableApplicationContext start(int beans) {
        List<String> properties = new ArrayList<>();
        properties.add("zmq.context.max-sockets=" + (beans + 64));
        for (int i = 0; i < beans; i++) {
            properties.add("zmq.sockets.s" + i + ".type=PUSH");
        }
        return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
            .bannerMode(Banner.Mode.OFF)
            .registerShutdownHook(false)
            .properties(properties.toArray(String[]::new))
            .run();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

    }
}
