package io.github.zmqboot.actuate;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

import io.github.zmqboot.core.ProxyStatistics;
import io.github.zmqboot.core.ZmqProxy;
import io.github.zmqboot.listener.ZmqListenerContainer;
import io.github.zmqboot.core.SocketEvent;
import io.github.zmqboot.core.SocketEventListener;
import io.github.zmqboot.internal.proxy.DefaultZmqProxy;
import io.github.zmqboot.internal.proxy.ProxyDrops;
import io.github.zmqboot.internal.engine.SocketBean;
import io.github.zmqboot.internal.engine.SocketTraffic;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The starter's Micrometer meters, bound once every singleton exists:
 * <ul>
 * <li>{@code zmq.messages.received}, {@code zmq.messages.sent}, {@code zmq.bytes.received}, {@code zmq.bytes.sent}
 * (tag {@code socket}) for every peer and socket;</li>
 * <li>{@code zmq.listener.invocations} (timer; tags {@code id}, {@code outcome} = {@code success} |
 * {@code failure}; exact counts, total time estimated from a sample of the calls, see
 * {@link ZmqListenerContainer#enableTiming()});</li>
 * <li>{@code zmq.proxy.messages} and {@code zmq.proxy.bytes} (tags {@code proxy}, {@code side} =
 * {@code frontend} | {@code backend}, {@code direction} = {@code in} | {@code out});</li>
 * <li>{@code zmq.proxy.dropped} (whole messages a ROUTER side of a proxy refused; tags {@code proxy}, {@code side},
 * {@code reason} = {@code full} | {@code unreachable});</li>
 * <li>{@code zmq.socket.events} (counter; tags {@code socket}, {@code event}).</li>
 * </ul>
 * Nothing here runs per message: sockets, listeners and proxies count in their own striped adders, and the meters
 * are function meters that read those sums when the registry is scraped.
 */
public class ZmqMetrics implements SocketEventListener {

    private final ZmqInventory inventory;

    private final MeterRegistry registry;

    public ZmqMetrics(ZmqInventory inventory, MeterRegistry registry) {
        this.inventory = inventory;
        this.registry = registry;
    }

    /** Registers the meters of every peer, socket, listener and proxy that exists now. */
    public void bind() {
        // a function meter holds its state object weakly: the state must be the socket bean itself (held by the
        // bean factory), never a lambda of its own, which the next garbage collection would take (the meter then
        // stays at its last value, 0)
        this.inventory.peers().forEach((name, peer) -> {
            if (peer instanceof SocketBean bean) {
                bindTraffic(name, bean, SocketBean::traffic);
            }
        });
        this.inventory.sockets().forEach((name, socket) -> {
            if (socket instanceof SocketBean bean) {
                bindTraffic(name, bean, SocketBean::traffic);
            }
        });
        this.inventory.listeners().values().forEach(this::bindListener);
        this.inventory.proxies().forEach(this::bindProxy);
    }

    @Override
    public void onEvent(SocketEvent event) {
        this.registry.counter("zmq.socket.events", "socket", event.socket(), "event",
                event.kind().name().toLowerCase(Locale.ROOT)).increment();
    }

    private <B> void bindTraffic(String socket, B bean, Function<B, SocketTraffic> traffic) {
        counter("zmq.messages.received", "messages received by the socket", bean,
                b -> traffic.apply(b).messagesReceived(), "socket", socket);
        counter("zmq.messages.sent", "messages sent by the socket", bean, b -> traffic.apply(b).messagesSent(),
                "socket", socket);
        counter("zmq.bytes.received", "bytes received by the socket", bean,
                b -> traffic.apply(b).bytesReceived(), "socket", socket);
        counter("zmq.bytes.sent", "bytes sent by the socket", bean, b -> traffic.apply(b).bytesSent(), "socket",
                socket);
    }

    private void bindListener(ZmqListenerContainer container) {
        container.enableTiming();
        FunctionTimer.builder("zmq.listener.invocations", container, ZmqListenerContainer::handled,
                ZmqListenerContainer::handledNanos, TimeUnit.NANOSECONDS)
            .description("calls of a @ZmqListener method")
            .tags("id", container.getId(), "outcome", "success")
            .register(this.registry);
        FunctionTimer.builder("zmq.listener.invocations", container, ZmqListenerContainer::failed,
                ZmqListenerContainer::failedNanos, TimeUnit.NANOSECONDS)
            .description("calls of a @ZmqListener method")
            .tags("id", container.getId(), "outcome", "failure")
            .register(this.registry);
    }

    private void bindProxy(String name, ZmqProxy proxy) {
        proxyCounters(name, proxy, "frontend", "in", ProxyStatistics::frontendMessagesIn, ProxyStatistics::frontendBytesIn);
        proxyCounters(name, proxy, "frontend", "out", ProxyStatistics::frontendMessagesOut, ProxyStatistics::frontendBytesOut);
        proxyCounters(name, proxy, "backend", "in", ProxyStatistics::backendMessagesIn, ProxyStatistics::backendBytesIn);
        proxyCounters(name, proxy, "backend", "out", ProxyStatistics::backendMessagesOut, ProxyStatistics::backendBytesOut);
        if (proxy instanceof DefaultZmqProxy configured) {
            dropCounter(name, configured, "frontend", "full", ProxyDrops::frontendFull);
            dropCounter(name, configured, "frontend", "unreachable", ProxyDrops::frontendUnreachable);
            dropCounter(name, configured, "backend", "full", ProxyDrops::backendFull);
            dropCounter(name, configured, "backend", "unreachable", ProxyDrops::backendUnreachable);
        }
    }

    private void dropCounter(String name, DefaultZmqProxy proxy, String side, String reason,
            ToDoubleFunction<ProxyDrops> count) {
        counter("zmq.proxy.dropped", "whole messages a ROUTER side of the proxy refused (peer's queue full or peer "
                + "gone) and the proxy dropped", proxy, p -> count.applyAsDouble(p.dropped()), "proxy", name, "side",
                side, "reason", reason);
    }

    private void proxyCounters(String name, ZmqProxy proxy, String side, String direction,
            ToDoubleFunction<ProxyStatistics> messages, ToDoubleFunction<ProxyStatistics> bytes) {
        counter("zmq.proxy.messages", "message parts through the proxy (every part counts, as in STATISTICS)", proxy,
                p -> messages.applyAsDouble(p.statistics()), "proxy", name, "side", side, "direction", direction);
        counter("zmq.proxy.bytes", "bytes through the proxy", proxy, p -> bytes.applyAsDouble(p.statistics()),
                "proxy", name, "side", side, "direction", direction);
    }

    private <T> void counter(String meter, String description, T source, ToDoubleFunction<T> value, String... tags) {
        FunctionCounter.builder(meter, source, value).description(description).tags(tags).register(this.registry);
    }
}
