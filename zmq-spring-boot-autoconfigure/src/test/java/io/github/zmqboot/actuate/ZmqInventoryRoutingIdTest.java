package io.github.zmqboot.actuate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.zmqboot.autoconfigure.ZmqAutoConfiguration;
import io.github.zmqboot.internal.context.ZmqContextManager;
import io.github.zmqboot.core.ZmqPeer;
import io.github.zmqboot.internal.engine.SocketOptions;
import io.github.zmqboot.internal.socket.ZmqSockets;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The inventory behind health details and {@code /actuator/zmq} shows a routing id as the decimal of the Java
 * {@code int} that {@code connect()} returned (the number {@code @RoutingId} receives and the logs print), negative
 * values included. Each new PEER starts its routing ids at a random number, so peers are created until one hands out
 * a negative id (half of them do).
 */
class ZmqInventoryRoutingIdTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ZmqAutoConfiguration.class))
        .withPropertyValues("zmq.defaults.linger=0", "zmq.peers.alice.bind[0]=tcp://127.0.0.1:0");

    @Test
    void aNegativeRoutingIdIsShownAsTheIntTheApplicationGot() {
        this.runner.run(context -> {
            String endpoint = context.getBean("alice", ZmqPeer.class).boundEndpoints().get(0);
            ZmqSockets sockets = context.getBean(ZmqSockets.class);
            ZmqInventory inventory = new ZmqInventory(context.getBeanFactory(), new ZmqSocketEvents(),
                    context.getBean(ZmqContextManager.class));
            List<ZmqPeer> peers = new ArrayList<>();
            try {
                int routingId = 0;
                ZmqPeer negative = null;
                for (int i = 0; i < 64 && negative == null; i++) {
                    ZmqPeer peer = sockets.createPeer("probe-" + i, SocketOptions.NONE);
                    peers.add(peer);
                    routingId = peer.connect(endpoint);
                    if (routingId < 0) {
                        negative = peer;
                    }
                }
                assertThat(negative).as("a peer with a negative routing id among 64").isNotNull();

                Map<String, Object> details = inventory.describe(negative);

                assertThat(details.get("connections")).isEqualTo(Map.of(String.valueOf(routingId), endpoint));
                assertThat(String.valueOf(routingId)).startsWith("-");
            }
            finally {
                peers.forEach(ZmqPeer::close);
            }
        });
    }
}
