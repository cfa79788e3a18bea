package io.github.zmqboot.sample.prices;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import io.github.zmqboot.convert.ZmqPayloadConverter;
import io.github.zmqboot.core.ZmqException;
import io.github.zmqboot.core.ZmqSocket;
import org.zeromq.ZMsg;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Publishes prices through the forwarder: the PUB socket {@code price-publisher} ({@code zmq.sockets}) is
 * connected to the frontend of the proxy {@code prices}. Each message has two frames, the topic
 * {@code prices.<symbol>} that subscribers filter on, and the {@link Price} as JSON.
 */
@Component
public class PricePublisher {

    private final ZmqSocket publisher;

    private final ZmqPayloadConverter converter;

    private final Map<String, BigDecimal> prices = new ConcurrentHashMap<>(
            Map.of("ACME", new BigDecimal("101.50"), "GLOBEX", new BigDecimal("42.00")));

    public PricePublisher(@Qualifier("price-publisher") ZmqSocket publisher, ZmqPayloadConverter converter) {
        this.publisher = publisher;
        this.converter = converter;
    }

    /** Every {@code sample.traffic.interval}: a new price for every symbol. */
    @Scheduled(fixedDelayString = "${sample.traffic.interval}")
    public void publish() {
        this.prices.replaceAll((symbol, price) -> price.add(BigDecimal.valueOf(
                ThreadLocalRandom.current().nextInt(-50, 51), 2)).max(BigDecimal.ONE).setScale(2, RoundingMode.HALF_UP));
        this.prices.forEach((symbol, value) -> {
            ZMsg message = new ZMsg();
            message.add("prices." + symbol);
            message.add(this.converter.toPayload(new Price(symbol, value)));
            try {
                this.publisher.send(message);
            }
            catch (ZmqException ex) {
                // ETERM: the application is shutting down (a PUB never blocks: without subscribers it drops)
            }
        });
    }
}
