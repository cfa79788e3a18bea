package io.github.zmqboot.internal.proxy;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

import org.zeromq.SocketType;

/** The three conventional proxies of {@code zmq_proxy(3)}: the socket types their frontend and backend default to. */
public enum ProxyPreset {

    /** Shared queue: requests fair-queued from clients, distributed among services, replies routed back. */
    ROUTER_DEALER("router-dealer", SocketType.ROUTER, SocketType.DEALER),

    /** Forwarder: publications from publishers to subscribers, subscriptions upstream. */
    XSUB_XPUB("xsub-xpub", SocketType.XSUB, SocketType.XPUB),

    /** Pipeline: tasks collected from clients and distributed among workers. */
    PULL_PUSH("pull-push", SocketType.PULL, SocketType.PUSH);

    private final String propertyValue;

    private final SocketType frontendType;

    private final SocketType backendType;

    ProxyPreset(String propertyValue, SocketType frontendType, SocketType backendType) {
        this.propertyValue = propertyValue;
        this.frontendType = frontendType;
        this.backendType = backendType;
    }

    /** The value of {@code zmq.proxies.<name>.type}, e.g. {@code router-dealer}. */
    public String propertyValue() {
        return this.propertyValue;
    }

    /** The frontend's default socket type. */
    public SocketType frontendType() {
        return this.frontendType;
    }

    /** The backend's default socket type. */
    public SocketType backendType() {
        return this.backendType;
    }

    /** The preset with this property value (case-insensitive), if any. */
    public static Optional<ProxyPreset> of(String propertyValue) {
        return Arrays.stream(values()).filter(preset -> preset.propertyValue.equalsIgnoreCase(propertyValue)).findFirst();
    }

    /** Every property value, for messages: {@code router-dealer, xsub-xpub, pull-push}. */
    public static String propertyValues() {
        return Arrays.stream(values()).map(ProxyPreset::propertyValue).collect(Collectors.joining(", "));
    }
}
