package io.github.zmqboot.benchmarks;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The application that declares the proxies of {@link ProxyBenchmark}'s configured states (under {@code zmq.proxies},
 * in the properties each state passes): only the auto-configuration.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class ProxyApplication {

    /** Starts the application with {@code properties}: no web server, no banner, no startup log. */
    static ConfigurableApplicationContext application(String... properties) {
        return new SpringApplicationBuilder(ProxyApplication.class).web(WebApplicationType.NONE)
            .bannerMode(Banner.Mode.OFF)
            .logStartupInfo(false)
            .properties(properties)
            .run();
    }
}
