package io.github.zmqboot.sample.orders;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.github.zmqboot.core.ZmqException;
import io.github.zmqboot.core.ZmqSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * A client of the broker: the REQ socket {@code order-client} ({@code zmq.sockets.order-client}) is connected to
 * the broker's frontend. {@link ZmqSocket#convertSendAndReceive} sends an {@link OrderRequest} as JSON and waits for
 * the {@link OrderReceipt}; when none comes in time (the broker is paused, say) it returns null and the socket is
 * replaced by a fresh one, so the next order goes out normally.
 */
@Component
public class OrderClient {

    private static final Logger logger = LoggerFactory.getLogger(OrderClient.class);

    private static final List<String> ITEMS = List.of("widget", "gadget", "gizmo");

    private final ZmqSocket client;

    private final Duration replyTimeout;

    private final AtomicLong sequence = new AtomicLong();

    public OrderClient(@Qualifier("order-client") ZmqSocket client,
            @Value("${sample.traffic.reply-timeout}") Duration replyTimeout) {
        this.client = client;
        this.replyTimeout = replyTimeout;
    }

    /** Every {@code sample.traffic.interval}: one order through the broker. */
    @Scheduled(fixedDelayString = "${sample.traffic.interval}")
    public void order() {
        long n = this.sequence.incrementAndGet();
        OrderRequest request = new OrderRequest(ITEMS.get((int) (n % ITEMS.size())), (int) (1 + n % 5));
        try {
            OrderReceipt receipt = this.client.convertSendAndReceive(request, OrderReceipt.class, this.replyTimeout);
            if (receipt != null) {
                logger.info("order client got receipt #{} from {} for {} x {}", receipt.orderNumber(),
                        receipt.worker(), receipt.quantity(), receipt.item());
            }
            else {
                logger.warn("order client: no receipt for {} x {} within {} ms (is the broker paused?)",
                        request.quantity(), request.item(), this.replyTimeout.toMillis());
            }
        }
        catch (ZmqException ex) {
            logger.warn("order client could not order: {}", ex.getMessage());
        }
    }
}
