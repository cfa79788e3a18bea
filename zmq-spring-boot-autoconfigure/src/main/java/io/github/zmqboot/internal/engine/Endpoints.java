package io.github.zmqboot.internal.engine;

import java.util.Set;
import java.util.regex.Pattern;

import io.github.zmqboot.core.ZmqError;
import io.github.zmqboot.core.ZmqException;
import org.zeromq.SocketType;

/**
 * Checks an endpoint the way libzmq does before the engine sees it, and answers with libzmq's error:
 * {@code EINVAL} for a malformed endpoint, {@code EPROTONOSUPPORT} for a transport this engine lacks,
 * {@code ENOCOMPATPROTO} for a transport the socket type cannot use.
 * <p>
 * The engine (JeroMQ 0.6.0) implements {@code tcp} and {@code inproc}; {@code ipc}, {@code ws} and {@code wss} are
 * this project's own transports (see {@code io.github.zmqboot.internal.transport}). There is no {@code pgm}, {@code epgm},
 * {@code norm}, {@code tipc}, {@code vmci} (libzmq built without them answers {@code EPROTONOSUPPORT}) and no
 * {@code udp}, which libzmq
 * allows only for RADIO and DISH ({@code ENOCOMPATPROTO} for every other type).
 */
public final class Endpoints {

    private static final Set<String> SUPPORTED = Set.of("tcp", "ipc", "inproc", "ws", "wss");

    private static final Pattern TRANSPORT = Pattern.compile("[a-z][a-z0-9+.-]*");

    private static final Pattern PORT = Pattern.compile("\\*|[0-9]{1,5}");

    private Endpoints() {
    }

    /**
     * Validates {@code endpoint} for a {@code bind} or {@code connect} of a socket of {@code type}.
     *
     * @throws ZmqException {@code EINVAL}, {@code EPROTONOSUPPORT} or {@code ENOCOMPATPROTO}
     */
    public static void validate(String endpoint, SocketType type, boolean connect) {
        if (endpoint == null || endpoint.isBlank()) {
            throw invalid(endpoint, "an endpoint is 'transport://address'");
        }
        int separator = endpoint.indexOf("://");
        if (separator <= 0) {
            throw invalid(endpoint, "an endpoint is 'transport://address'");
        }
        String transport = endpoint.substring(0, separator);
        String address = endpoint.substring(separator + 3);
        if (!TRANSPORT.matcher(transport).matches()) {
            throw invalid(endpoint, "'" + transport + "' is not a transport name");
        }
        if ("udp".equals(transport)) {
            if (type == SocketType.RADIO || type == SocketType.DISH) {
                throw new ZmqException(ZmqError.EPROTONOSUPPORT,
                        "udp:// is not implemented by the engine (JeroMQ 0.6.0): " + endpoint);
            }
            throw new ZmqException(ZmqError.ENOCOMPATPROTO,
                    "udp:// is only compatible with RADIO and DISH sockets, not " + type + ": " + endpoint);
        }
        if (!SUPPORTED.contains(transport)) {
            throw new ZmqException(ZmqError.EPROTONOSUPPORT, "transport '" + transport
                    + "' is not supported (there are tcp, ipc, inproc, ws and wss): " + endpoint);
        }
        if (address.isEmpty()) {
            throw invalid(endpoint, "the address after '" + transport + "://' is empty");
        }
        if ("tcp".equals(transport)) {
            validateTcp(endpoint, address, connect);
        }
        else if (transport.startsWith("ws")) {
            int slash = address.indexOf('/');
            validateTcp(endpoint, (slash < 0) ? address : address.substring(0, slash), connect);
        }
    }

    private static void validateTcp(String endpoint, String address, boolean connect) {
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            throw invalid(endpoint, "a tcp address is 'host:port'");
        }
        String host = address.substring(0, colon);
        String port = address.substring(colon + 1);
        if (!PORT.matcher(port).matches() || (!"*".equals(port) && Integer.parseInt(port) > 65535)) {
            throw invalid(endpoint, "the port must be 0-65535 or '*'");
        }
        if (host.startsWith("[") != host.endsWith("]")) {
            throw invalid(endpoint, "an IPv6 host is written in brackets, e.g. tcp://[::1]:5555");
        }
        if (connect) {
            if ("*".equals(host)) {
                throw invalid(endpoint, "a connect needs a host, not '*'");
            }
            if ("*".equals(port) || Integer.parseInt(port) == 0) {
                throw invalid(endpoint, "a connect needs a port, not '" + port + "'");
            }
        }
    }

    private static ZmqException invalid(String endpoint, String reason) {
        return new ZmqException(ZmqError.EINVAL, "invalid endpoint '" + endpoint + "': " + reason);
    }
}
