package io.github.zmqboot.sample.orders;

import java.util.concurrent.atomic.AtomicLong;

import io.github.zmqboot.annotation.ZmqListener;
import io.github.zmqboot.listener.ZmqHeaders;
import io.github.zmqboot.sample.TrafficLog;
import org.slf4j.LoggerFactory;

import org.springframework.messaging.handler.annotation.Header;
import org.springframework.stereotype.Component;

/**
 * Two workers behind the broker. Each listens on a REP socket ({@code zmq.sockets.order-worker-1} and
 * {@code -2}) connected to the broker's backend, which shares the requests between them. A record in, a record
 * out: the JSON request is converted to {@link OrderRequest}, the returned {@link OrderReceipt} is converted to
 * JSON and becomes the REP reply, which the broker routes back to the client that asked.
 */
@Component
public class OrderWorkers {

    private static final TrafficLog traffic = new TrafficLog(LoggerFactory.getLogger(OrderWorkers.class));

    private final AtomicLong orderNumbers = new AtomicLong();

    @ZmqListener(id = "order-worker-1", socket = "order-worker-1")
    public OrderReceipt workerOne(OrderRequest order, @Header(ZmqHeaders.SOCKET) String worker) {
        return take(order, worker);
    }

    @ZmqListener(id = "order-worker-2", socket = "order-worker-2")
    public OrderReceipt workerTwo(OrderRequest order, @Header(ZmqHeaders.SOCKET) String worker) {
        return take(order, worker);
    }

    private OrderReceipt take(OrderRequest order, String worker) {
        OrderReceipt receipt = new OrderReceipt(this.orderNumbers.incrementAndGet(), order.item(), order.quantity(),
                worker);
        traffic.message("{} took order #{}: {} x {}", worker, receipt.orderNumber(), order.quantity(), order.item());
        return receipt;
    }
}
