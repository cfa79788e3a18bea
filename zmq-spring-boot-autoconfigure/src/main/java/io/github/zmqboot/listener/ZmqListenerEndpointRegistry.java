package io.github.zmqboot.listener;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.zmqboot.internal.monitor.SteeringAudit;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Holds one {@link ZmqListenerContainer} per {@code @ZmqListener} method, by id; starts the auto-startup ones once
 * the sockets are ready, before the proxies start, and stops them all on shutdown (phase {@link #PHASE}) after the
 * proxies stopped (a draining proxy's requests still get their answers) and before the sockets close.
 */
public class ZmqListenerEndpointRegistry implements SmartLifecycle {

    /** The lifecycle phase of listener containers: before proxies start, after they stop. */
    public static final int PHASE = Integer.MAX_VALUE - 100;

    private final Map<String, ZmqListenerContainer> containers = new LinkedHashMap<>();

    private volatile boolean running;

    private final SteeringAudit steeringAudit;

    /** A registry whose containers log their steering commands only (no application events). */
    public ZmqListenerEndpointRegistry() {
        this(SteeringAudit.LOG_ONLY);
    }

    /** @param steeringAudit records the steering commands given to the containers (their start and stop) */
    public ZmqListenerEndpointRegistry(SteeringAudit steeringAudit) {
        this.steeringAudit = steeringAudit;
    }

    /**
     * Registers a container.
     *
     * @throws IllegalStateException when its id is taken
     */
    public void registerListenerContainer(ZmqListenerContainer container) {
        container.steeringAudit(this.steeringAudit);
        synchronized (this.containers) {
            ZmqListenerContainer previous = this.containers.putIfAbsent(container.getId(), container);
            if (previous != null) {
                throw new IllegalStateException("A @ZmqListener with id '" + container.getId() + "' exists already");
            }
        }
        if (this.running && container.isAutoStartup()) {
            container.startReading();
        }
    }

    /** The container of the listener with this id, or {@code null}. */
    public @Nullable ZmqListenerContainer getListenerContainer(String id) {
        synchronized (this.containers) {
            return this.containers.get(id);
        }
    }

    /** The ids of every listener. */
    public Set<String> getListenerContainerIds() {
        synchronized (this.containers) {
            return Set.copyOf(this.containers.keySet());
        }
    }

    /** Every container, in registration order. */
    public Collection<ZmqListenerContainer> getListenerContainers() {
        synchronized (this.containers) {
            return List.copyOf(this.containers.values());
        }
    }

    @Override
    public void start() {
        for (ZmqListenerContainer container : getListenerContainers()) {
            if (container.isAutoStartup()) {
                container.startReading();
            }
        }
        this.running = true;
    }

    @Override
    public void stop() {
        this.running = false;
        List<ZmqListenerContainer> all = new ArrayList<>(getListenerContainers());
        all.parallelStream().forEach(ZmqListenerContainer::stopReading);
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
