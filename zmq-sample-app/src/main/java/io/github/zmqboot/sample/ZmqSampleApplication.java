package io.github.zmqboot.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * A runnable tour of zmq-spring-boot. Two PEER sockets declared in {@code application.yml}: {@code alice} binds,
 * {@code bob} connects to her at startup ({@link BobConnector}) and pings her every few seconds
 * ({@link BobPinger}); {@link AliceResponder} answers every ping to the routing id it came from.
 */
@SpringBootApplication
@EnableScheduling
public class ZmqSampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(ZmqSampleApplication.class, args);
    }
}
