package io.github.zmqboot.internal.proxy;

import java.util.List;
import java.util.Objects;

import io.github.zmqboot.internal.engine.SocketOptions;
import org.zeromq.SocketType;

/**
 * One socket of a proxy as configured: its role, type, options (unset values fall back as for every socket) and the
 * endpoints it binds and connects, in order.
 *
 * @param role the side
 * @param type the socket type
 * @param options the side's own options
 * @param bind endpoints to bind at start
 * @param connect endpoints to connect at start
 */
public record ProxySide(ProxyRole role, SocketType type, SocketOptions options, List<String> bind,
        List<String> connect) {

    public ProxySide {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(type, "type");
        options = options != null ? options : SocketOptions.NONE;
        bind = bind != null ? List.copyOf(bind) : List.of();
        connect = connect != null ? List.copyOf(connect) : List.of();
    }
}
