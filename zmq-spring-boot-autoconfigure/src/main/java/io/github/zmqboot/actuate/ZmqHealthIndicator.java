package io.github.zmqboot.actuate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.zmqboot.core.ZmqProxy;
import io.github.zmqboot.listener.ZmqListenerContainer;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.SmartLifecycle;

/**
 * Health of the application's ZeroMQ parts ({@code /actuator/health/zmq}):
 * <ul>
 * <li>{@code DOWN} when the ZeroMQ context is closed, a proxy {@code FAILED}, or a listener container is dead (its
 * socket closed under it while it ran);</li>
 * <li>{@code OUT_OF_SERVICE} when a proxy is paused, or an operator terminated an auto-startup proxy or stopped an
 * auto-startup listener;</li>
 * <li>{@code UP} otherwise.</li>
 * </ul>
 * Details list every peer (bound endpoints, connections with routing ids, last socket event), socket, proxy (state,
 * statistics) and listener (running, handled and failed counts), and the reasons for a status other than UP. A
 * handler failure is counted, never turns health DOWN.
 */
public class ZmqHealthIndicator extends AbstractHealthIndicator {

    private final ZmqInventory inventory;

    public ZmqHealthIndicator(ZmqInventory inventory) {
        super("ZeroMQ health check failed");
        this.inventory = inventory;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        List<String> down = new ArrayList<>();
        List<String> outOfService = new ArrayList<>();
        if (this.inventory.isClosed() || this.inventory.contextManager().isTerminated()) {
            down.add("the ZeroMQ context is closed");
        }
        for (Map.Entry<String, ZmqProxy> entry : this.inventory.proxies().entrySet()) {
            ZmqProxy proxy = entry.getValue();
            switch (proxy.state()) {
                case FAILED -> down.add("proxy '" + entry.getKey() + "' failed: " + proxy.failure());
                case PAUSED -> outOfService.add("proxy '" + entry.getKey() + "' is paused");
                case TERMINATED -> {
                    if (isAutoStartup(proxy)) {
                        outOfService.add("proxy '" + entry.getKey() + "' is terminated");
                    }
                }
                default -> {
                }
            }
        }
        for (ZmqListenerContainer container : this.inventory.listeners().values()) {
            if (container.isDead()) {
                down.add("listener '" + container.getId() + "' is dead: its socket '" + container.getSocketName()
                        + "' no longer delivers");
            }
            else if (container.isAutoStartup() && !container.isRunning()) {
                outOfService.add("listener '" + container.getId() + "' is stopped");
            }
        }
        Map<String, Object> details = this.inventory.describe();
        builder.withDetails(details);
        if (!down.isEmpty()) {
            builder.status(Status.DOWN).withDetail("reasons", down);
        }
        else if (!outOfService.isEmpty()) {
            builder.status(Status.OUT_OF_SERVICE).withDetail("reasons", outOfService);
        }
        else {
            builder.up();
        }
    }

    private static boolean isAutoStartup(ZmqProxy proxy) {
        return !(proxy instanceof SmartLifecycle lifecycle) || lifecycle.isAutoStartup();
    }
}
