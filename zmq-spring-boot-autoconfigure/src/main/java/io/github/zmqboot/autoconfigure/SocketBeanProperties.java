package io.github.zmqboot.autoconfigure;

import java.util.ArrayList;
import java.util.List;

/**
 * One entry of {@code zmq.sockets}: a socket of any type but PEER (the type is required), with every socket option,
 * the endpoints it binds and connects at startup, and its SUB subscriptions or DISH groups.
 */
public class SocketBeanProperties extends TypedEndpointProperties {

    /** SUB only: topic prefixes to subscribe to at startup ("" = everything). A SUB without any receives nothing. */
    private List<String> subscribe = new ArrayList<>();

    /** DISH only: groups to join at startup. */
    private List<String> join = new ArrayList<>();

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
