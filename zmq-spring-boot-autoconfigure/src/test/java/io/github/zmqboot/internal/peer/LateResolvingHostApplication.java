package io.github.zmqboot.internal.peer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import io.github.zmqboot.actuate.ZmqInventory;
import io.github.zmqboot.actuate.ZmqSocketEvents;
import io.github.zmqboot.autoconfigure.ZmqAutoConfiguration;
import io.github.zmqboot.internal.context.ZmqContextManager;
import io.github.zmqboot.core.ZmqPeer;
import io.github.zmqboot.core.ZmqSocket;
import org.zeromq.ZMsg;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * Runs in a JVM of its own whose host names come from a hosts file (its path is the first argument) and whose
 * failed look-ups are not cached: a server application binds a PEER and a PULL socket; a client application connects
 * a PEER and a PUSH socket to {@value #HOST}, which the hosts file does not know yet, from its properties (at
 * startup) and a second PEER at run time. Each queues a message; then the host name is added to the hosts file and
 * the messages must arrive. Prints {@code RESULT key=value} lines.
 */
@Configuration(proxyBeanMethods = false)
@ImportAutoConfiguration(ZmqAutoConfiguration.class)
public class LateResolvingHostApplication {

    static final String HOST = "late-host.zmq.test";

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    public static void main(String[] args) throws Exception {
        Path hostsFile = Path.of(args[0]);
        try (ConfigurableApplicationContext server = start("zmq.peers.alice.bind[0]=tcp://127.0.0.1:0",
                "zmq.sockets.sink.type=PULL", "zmq.sockets.sink.bind[0]=tcp://127.0.0.1:0")) {
            ZmqPeer alice = server.getBean("alice", ZmqPeer.class);
            ZmqSocket sink = server.getBean("sink", ZmqSocket.class);
            String peerEndpoint = "tcp://" + HOST + ":" + port(alice.boundEndpoints().get(0));
            String pushEndpoint = "tcp://" + HOST + ":" + port(sink.boundEndpoints().get(0));
            try (ConfigurableApplicationContext client = start("zmq.peers.carol.connect[0]=" + peerEndpoint,
                    "zmq.peers.bob.reconnect-interval=50ms", "zmq.sockets.pusher.type=PUSH",
                    "zmq.sockets.pusher.connect[0]=" + pushEndpoint)) {
                result("started", "true");
                ZmqPeer carol = client.getBean("carol", ZmqPeer.class);
                ZmqPeer bob = client.getBean("bob", ZmqPeer.class);
                ZmqSocket pusher = client.getBean("pusher", ZmqSocket.class);
                ZmqInventory inventory = new ZmqInventory(client.getBeanFactory(), new ZmqSocketEvents(),
                        client.getBean(ZmqContextManager.class));
                int bobId = bob.connect(peerEndpoint);
                result("bob.routingId", String.valueOf(bobId));
                int carolId = carol.connections().keySet().iterator().next();
                result("carol.routingId", String.valueOf(carolId));
                result("unresolved.before", String.valueOf(inventory.describe()));
                bob.send(bobId, "from bob");
                carol.send(carolId, "from carol");
                pusher.send("from pusher");

                Files.writeString(hostsFile, "127.0.0.1 " + HOST + "\n", StandardCharsets.UTF_8);
                Set<String> received = new HashSet<>();
                long deadline = System.nanoTime() + TIMEOUT.toNanos();
                while (received.size() < 2 && System.nanoTime() < deadline) {
                    ZmqPeer.Received message = alice.receive(Duration.ofMillis(200));
                    if (message != null) {
                        received.add(new String(message.payload(), StandardCharsets.UTF_8));
                    }
                }
                result("alice.received", String.join(",", received.stream().sorted().toList()));
                ZMsg pushed = sink.receive(TIMEOUT);
                result("sink.received", pushed == null ? "nothing" : pushed.getLast().getString(StandardCharsets.UTF_8));
                result("unresolved.after", String.valueOf(inventory.describe()));
            }
        }
        catch (Throwable ex) {
            ex.printStackTrace(System.out);
            result("FAILED", String.valueOf(ex));
        }
        System.exit(0);
    }

    private static int port(String endpoint) {
        return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    }

    private static ConfigurableApplicationContext start(String... properties) {
        return new SpringApplicationBuilder(LateResolvingHostApplication.class).web(WebApplicationType.NONE)
            .bannerMode(Banner.Mode.OFF)
            .logStartupInfo(false)
            .registerShutdownHook(false)
            .properties("zmq.context.linger=0", "zmq.defaults.reconnect-interval=50ms")
            .properties(properties)
            .run();
    }

    private static void result(String key, String value) {
        System.out.println("RESULT " + key + "=" + value);
    }
}
