package io.github.zmqboot.autoconfigure;

import java.util.ArrayList;
import java.util.List;

/**
 * One socket of the configuration: its options, and the endpoints it binds and connects when it is made (a peer or
 * socket bean at startup, a proxy's side when the proxy starts). The value of every {@code zmq.peers.<name>};
 * {@link TypedEndpointProperties} adds the socket type for {@code zmq.sockets} and the sides of
 * {@code zmq.proxies}.
 */
public class EndpointProperties extends SocketProperties {

    /** Endpoints to bind, e.g. tcp://127.0.0.1:5555 (port 0 or * = ephemeral). */
    private List<String> bind = new ArrayList<>();

    /** Endpoints to connect (a peer: each connection's routing id is in connections()). */
    private List<String> connect = new ArrayList<>();

    public List<String> getBind() {
        return this.bind;
    }

    public void setBind(List<String> bind) {
        this.bind = bind;
    }

    public List<String> getConnect() {
        return this.connect;
    }

    public void setConnect(List<String> connect) {
        this.connect = connect;
    }
}
