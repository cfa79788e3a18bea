package io.github.zmqboot.sample;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.github.zmqboot.core.ZmqPeer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Every {@code sample.ping-interval} (2 s by default), {@code bob} pings {@code alice} and logs her answer. */
@Component
public class BobPinger {

    private static final Logger logger = LoggerFactory.getLogger(BobPinger.class);

    private final ZmqPeer bob;

    private final BobConnector connector;

    private final AtomicLong pongs = new AtomicLong();

    private long sequence;

    public BobPinger(@Qualifier("bob") ZmqPeer bob, BobConnector connector) {
        this.bob = bob;
        this.connector = connector;
    }

    @Scheduled(fixedDelayString = "${sample.ping-interval:2s}")
    public void ping() {
        String ping = "ping #" + (++this.sequence);
        this.bob.send(this.connector.aliceRoutingId(), ping);
        ZmqPeer.Received reply = this.bob.receive(Duration.ofSeconds(1));
        if (reply != null) {
            this.pongs.incrementAndGet();
            logger.info("bob sent '{}', alice answered '{}'", ping, new String(reply.payload(), StandardCharsets.UTF_8));
        }
        else {
            logger.info("bob sent '{}', no answer yet", ping);
        }
    }

    /** How many answers bob has received. */
    public long pongs() {
        return this.pongs.get();
    }
}
