package io.github.zmqboot.internal.proxy;

import java.util.Locale;

/** The four sockets a proxy may have, named as under {@code zmq.proxies.<name>}. */
public enum ProxyRole {

    /** Where requests, tasks or publications come in. */
    FRONTEND,

    /** Where they go out (and replies or subscriptions come back). */
    BACKEND,

    /** Gets a copy of every message of both directions. */
    CAPTURE,

    /** Takes libzmq's steering commands. */
    CONTROL;

    /** The property name of this side, e.g. {@code frontend}. */
    public String propertyName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
