package io.github.zmqboot.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import org.zeromq.SocketType;

/**
 * One entry of {@code zmq.sockets}: a socket of any type but PEER, with every socket option of a peer, its type,
 * the endpoints it binds and connects at startup, and its SUB subscriptions or DISH groups.
 */
public class SocketBeanProperties extends ZmqProperties.SocketProperties {

    /** The socket type (required): any JeroMQ SocketType but PEER, e.g. PUSH, PULL, PUB, SUB, REQ, REP, DEALER, ROUTER. */
    private SocketType type;

    /** Endpoints to bind at startup, e.g. tcp://127.0.0.1:5555 (port 0 or * = ephemeral). */
    private List<String> bind = new ArrayList<>();

    /** Endpoints to connect at startup. */
    private List<String> connect = new ArrayList<>();

    /** SUB only: topic prefixes to subscribe to at startup ("" = everything). A SUB without any receives nothing. */
    private List<String> subscribe = new ArrayList<>();

    /** DISH only: groups to join at startup. */
    private List<String> join = new ArrayList<>();

    public SocketType getType() {
        return this.type;
    }

    public void setType(SocketType type) {
        this.type = type;
    }

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

    public List<String> getSubscribe() {
        return this.subscribe;
    }

    public void setSubscribe(List<String> subscribe) {
        this.subscribe = subscribe;
    }

    public List<String> getJoin() {
        return this.join;
    }

    public void setJoin(List<String> join) {
        this.join = join;
    }
}
