package io.github.zmqboot.actuate;

import java.util.Map;

import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * The web side of the {@code zmq} endpoint: {@code POST /actuator/zmq/{proxies|listeners}/{name}} with
 * {@code {"command": "…"}} steers a proxy or a listener and answers its new state; an unknown name answers 404, an
 * unknown command 400 with a message. (A plain write operation would answer 204 for every outcome.)
 */
@EndpointWebExtension(endpoint = ZmqEndpoint.class)
public class ZmqEndpointWebExtension {

    private final ZmqEndpoint endpoint;

    public ZmqEndpointWebExtension(ZmqEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @ReadOperation
    public Map<String, Object> zmq() {
        return this.endpoint.zmq();
    }

    @WriteOperation
    public WebEndpointResponse<Map<String, Object>> command(@Selector String kind, @Selector String name,
            String command) {
        ZmqEndpoint.CommandResult result = this.endpoint.execute(kind, name, command);
        return new WebEndpointResponse<>(result.body(), result.status());
    }
}
