package io.github.zmqboot.internal.engine;

import java.util.List;

import zmq.SocketBase;

/**
 * The ZAP domains of a context (ZeroMQ Authentication Protocol, RFC 27): where {@link ZmqSocketFactory} registers
 * each CURVE server socket that lists its clients ({@code curve.allowed-clients}). Implemented by the ZAP handler
 * of the socket-kinds layer, which the factory is given lazily (see
 * {@link ZmqSocketFactory#useZapDomains(java.util.function.Supplier)}): the handler's own socket comes from the
 * factory.
 */
public interface ZapDomains {

    /** Only {@code clientKeys} (Z85 public keys) may connect to the server sockets of {@code domain}. */
    void allow(String domain, List<String> clientKeys);

    /** Reports each refusal of a client of {@code domain} on {@code server} (as libzmq reports it there). */
    void reportRefusalsOn(String domain, SocketBase server);
}
