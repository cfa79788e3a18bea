package io.github.zmqboot.sample.prices;

import io.github.zmqboot.annotation.ZmqListener;
import io.github.zmqboot.listener.ZmqHeaders;
import io.github.zmqboot.sample.TrafficLog;
import org.slf4j.LoggerFactory;

import org.springframework.messaging.handler.annotation.Header;
import org.springframework.stereotype.Component;

/**
 * Logs prices. The SUB socket {@code price-ticker} ({@code zmq.sockets}) is connected to the backend of the
 * proxy {@code prices} and subscribed to the topic {@code prices.} (a prefix: {@code prices.ACME},
 * {@code prices.GLOBEX}, ...). The first frame is the topic, the last one the JSON payload.
 */
@Component
public class PriceTicker {

    private static final TrafficLog traffic = new TrafficLog(LoggerFactory.getLogger(PriceTicker.class));

    @ZmqListener(id = "price-ticker", socket = "price-ticker")
    public void onPrice(Price price, @Header(ZmqHeaders.TOPIC) String topic) {
        traffic.message("price ticker [{}]: {} is at {}", topic, price.symbol(), price.value());
    }
}
