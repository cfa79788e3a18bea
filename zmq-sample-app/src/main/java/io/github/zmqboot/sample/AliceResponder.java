package io.github.zmqboot.sample;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.github.zmqboot.core.ZmqException;
import io.github.zmqboot.core.ZmqPeer;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * {@code alice} answers every message with a "pong", sent back to the routing id the message came from
 * (a bound PEER learns a routing id only from a received message).
 */
@Component
public class AliceResponder implements SmartLifecycle {

    private final ZmqPeer alice;

    private volatile boolean running;

    public AliceResponder(@Qualifier("alice") ZmqPeer alice) {
        this.alice = alice;
    }

    @Override
    public void start() {
        this.running = true;
        Thread thread = new Thread(this::answerUntilStopped, "alice-responder");
        thread.setDaemon(true);
        thread.start();
    }

    private void answerUntilStopped() {
        try {
            while (this.running) {
                ZmqPeer.Received ping = this.alice.receive(Duration.ofMillis(200));
                if (ping != null) {
                    String text = new String(ping.payload(), StandardCharsets.UTF_8);
                    this.alice.send(ping.routingId(), "pong for '" + text + "'");
                }
            }
        }
        catch (ZmqException ex) {
            // the socket closed: the application is shutting down
        }
    }

    @Override
    public void stop() {
        this.running = false;
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }
}
