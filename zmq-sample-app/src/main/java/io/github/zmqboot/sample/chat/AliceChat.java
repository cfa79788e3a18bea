package io.github.zmqboot.sample.chat;

import io.github.zmqboot.annotation.RoutingId;
import io.github.zmqboot.annotation.ZmqListener;
import io.github.zmqboot.sample.TrafficLog;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Alice answers whoever writes to her PEER socket {@code alice} ({@code zmq.peers.alice}, bound in
 * {@code application.yml}). The return value is the answer: the listener sends it back to the routing id the
 * message came from, so alice never needs to know who her callers are.
 */
@Component
public class AliceChat {

    private static final TrafficLog traffic = new TrafficLog(LoggerFactory.getLogger(AliceChat.class));

    private final String instance;

    public AliceChat(@Value("${sample.instance}") String instance) {
        this.instance = instance;
    }

    @ZmqListener(id = "alice-chat", peer = "alice")
    public String answer(String message, @RoutingId int from) {
        traffic.message("alice <- routing id {}: '{}'", from, message);
        return "alice@" + this.instance + " heard '" + message + "'";
    }
}
