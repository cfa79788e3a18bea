package io.github.zmqboot.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * A runnable tour of zmq-spring-boot. Every socket and proxy is declared in {@code application.yml}; the classes
 * only handle messages (with {@code @ZmqListener}) and make traffic (with {@code @Scheduled}):
 * <ul>
 * <li>{@code chat}: two PEER sockets. {@link io.github.zmqboot.sample.chat.BobChat BobChat} writes to every alice he is
 * connected to, {@link io.github.zmqboot.sample.chat.AliceChat AliceChat} answers with her return value.</li>
 * <li>{@code orders}: a ROUTER-DEALER broker (proxy {@code broker}).
 * {@link io.github.zmqboot.sample.orders.OrderClient OrderClient} sends an order through it,
 * {@link io.github.zmqboot.sample.orders.OrderWorkers OrderWorkers} answer: a JSON record in, a record out.</li>
 * <li>{@code prices}: an XSUB-XPUB forwarder (proxy {@code prices}).
 * {@link io.github.zmqboot.sample.prices.PricePublisher PricePublisher} publishes,
 * {@link io.github.zmqboot.sample.prices.PriceTicker PriceTicker} subscribes to a topic and logs.</li>
 * <li>{@code capture}: the broker copies every message to a capture socket;
 * {@link io.github.zmqboot.sample.capture.BrokerTap BrokerTap} counts the copies.</li>
 * </ul>
 * Actuator shows it all: {@code /actuator/health}, {@code /actuator/zmq}, {@code /actuator/metrics}.
 */
@SpringBootApplication
@EnableScheduling
public class ZmqSampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(ZmqSampleApplication.class, args);
    }
}
