package io.github.zmqboot.sample;

import io.github.zmqboot.core.ZmqPeer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * Connects {@code bob} to wherever {@code alice} is bound and keeps the routing id that
 * {@link ZmqPeer#connect(String)} (libzmq's {@code zmq_connect_peer}) returns: it addresses exactly that
 * connection. (A peer can also connect from {@code application.yml}: {@code zmq.peers.bob.connect}.)
 */
@Component
public class BobConnector {

    private static final Logger logger = LoggerFactory.getLogger(BobConnector.class);

    private final int aliceRoutingId;

    public BobConnector(@Qualifier("alice") ZmqPeer alice, @Qualifier("bob") ZmqPeer bob) {
        String aliceEndpoint = alice.boundEndpoints().get(0);
        this.aliceRoutingId = bob.connect(aliceEndpoint);
        logger.info("bob connected to alice at {}: her routing id is {}", aliceEndpoint, this.aliceRoutingId);
    }

    /** The routing id under which {@code bob} reaches {@code alice}. */
    public int aliceRoutingId() {
        return this.aliceRoutingId;
    }
}
