package io.github.zmqboot.sample.chat;

import java.util.concurrent.atomic.AtomicLong;

import io.github.zmqboot.annotation.RoutingId;
import io.github.zmqboot.annotation.ZmqListener;
import io.github.zmqboot.core.ZmqException;
import io.github.zmqboot.core.ZmqPeer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Bob chats with every alice he is connected to. The PEER socket {@code bob} connects at startup to each endpoint
 * of {@code zmq.peers.bob.connect}; {@link ZmqPeer#connections()} maps the routing id that {@code zmq_connect_peer}
 * returned for each connection to its endpoint, and that routing id is the address bob writes to. Bob's own
 * listener logs the answers.
 */
@Component
public class BobChat {

    private static final Logger logger = LoggerFactory.getLogger(BobChat.class);

    private final ZmqPeer bob;

    private final String instance;

    private final AtomicLong sequence = new AtomicLong();

    public BobChat(@Qualifier("bob") ZmqPeer bob, @Value("${sample.instance}") String instance) {
        this.bob = bob;
        this.instance = instance;
        bob.connections().forEach((routingId, endpoint) ->
                logger.info("bob is connected to alice at {}: her routing id is {}", endpoint, routingId));
    }

    /** Every {@code sample.traffic.interval}: one line to each alice. */
    @Scheduled(fixedDelayString = "${sample.traffic.interval}")
    public void chat() {
        String message = "hello #" + this.sequence.incrementAndGet() + " from bob@" + this.instance;
        this.bob.connections().forEach((routingId, endpoint) -> {
            try {
                this.bob.send(routingId, message);
                logger.info("bob -> alice at {}: '{}'", endpoint, message);
            }
            catch (ZmqException ex) {
                // EAGAIN: that alice has been away long enough for the queue to fill (zmq.peers.bob.send-timeout);
                // ETERM: the application is shutting down
                logger.warn("bob could not write to alice at {}: {}", endpoint, ex.getMessage());
            }
        });
    }

    @ZmqListener(id = "bob-inbox", peer = "bob")
    public void onAnswer(String answer, @RoutingId int from) {
        logger.info("bob <- alice at {}: '{}'", this.bob.connections().get(from), answer);
    }
}
