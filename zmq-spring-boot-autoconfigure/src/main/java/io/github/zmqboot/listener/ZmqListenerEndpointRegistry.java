package io.github.zmqboot.listener;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.zmqboot.internal.monitor.SteeringAudit;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Holds one {@link ZmqListenerContainer} per {@code @ZmqListener} method, by id; starts the auto-startup ones once
 * the sockets are ready, before the proxies start, and stops them all on shutdown (phase {@link #PHASE}) after the
 * proxies stopped (a draining proxy's requests still get their answers) and before the sockets close.
 * <p>
 * On shutdown every container stops at once, each on a thread of its own, and reports through its
 * {@link ZmqListenerContainer#stop(Runnable) stop callback}; the registry's callback runs when the last one finished
 * (the application context waits for it at most {@code spring.lifecycle.timeout-per-shutdown-phase}, 30 s by
 * default).
 */
public class ZmqListenerEndpointRegistry implements SmartLifecycle {

    /** The lifecycle phase of the registry and its listener containers: before proxies start, after they stop. */
    public static final int PHASE = ZmqListenerContainer.PHASE;

    private static final Log logger = LogFactory.getLog(ZmqListenerEndpointRegistry.class);

    /** The longest {@link #stop()} waits: a container's stop waits 30 s for its reader, then 30 s for its handlers. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(65);

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

    /** Stops every container and waits until all stopped (at most 65 s). */
    @Override
    public void stop() {
        CountDownLatch stopped = new CountDownLatch(1);
        stop(stopped::countDown);
        try {
            if (!stopped.await(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                logger.warn("Listener containers still stopping after " + STOP_WAIT.toSeconds() + " s");
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops every container at once; runs {@code callback} when the last one stopped. */
    @Override
    public void stop(Runnable callback) {
        this.running = false;
        List<ZmqListenerContainer> all = List.copyOf(getListenerContainers());
        if (all.isEmpty()) {
            callback.run();
            return;
        }
        AtomicInteger remaining = new AtomicInteger(all.size());
        Runnable oneStopped = () -> {
            if (remaining.decrementAndGet() == 0) {
                callback.run();
            }
        };
        for (ZmqListenerContainer container : all) {
            AtomicBoolean counted = new AtomicBoolean();
            Runnable thisOneStopped = () -> {
                if (counted.compareAndSet(false, true)) {
                    oneStopped.run();
                }
            };
            try {
                container.stop(thisOneStopped);
            }
            catch (RuntimeException ex) {
                logger.error("Failed to stop " + container, ex);
                thisOneStopped.run();
            }
        }
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
