package io.github.zmqboot.sample.capture;

import java.util.concurrent.atomic.AtomicLong;

import io.github.zmqboot.annotation.ZmqListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZMsg;

import org.springframework.stereotype.Component;

/**
 * Counts what the broker carries. The broker's capture socket (a PUB bound on {@code sample.ports.broker-capture}) gets a
 * copy of every message it forwards, requests and replies; the SUB socket {@code broker-tap} ({@code zmq.sockets})
 * reads them. Every tenth copy is logged up to the thousandth, then every 100,000th (copies come at the broker's
 * rate: a load test must not fill the disk).
 */
@Component
public class BrokerTap {

    private static final Logger logger = LoggerFactory.getLogger(BrokerTap.class);

    private final AtomicLong copies = new AtomicLong();

    @ZmqListener(id = "broker-tap", socket = "broker-tap")
    public void onCopy(ZMsg copy) {
        long count = this.copies.incrementAndGet();
        if (count % 10 == 0 && count <= 1000 || count % 100_000 == 0) { // sampled: copies come at the broker's rate
            logger.info("broker tap: {} messages captured so far (requests and replies)", count);
        }
    }

    /** How many copies the tap has seen. */
    public long copies() {
        return this.copies.get();
    }
}
