package io.github.zmqboot.actuate;

import java.security.Principal;
import java.util.Map;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;
import org.springframework.util.ClassUtils;

/**
 * The web side of the {@code zmq} endpoint: {@code POST /actuator/zmq/{proxies|listeners}/{name}} with
 * {@code {"command": "…"}} steers a proxy or a listener and answers its new state; an unknown name answers 404, an
 * unknown command 400 with a message. (A plain write operation would answer 204 for every outcome.) The command's
 * origin is {@code http} and the caller's remote address (on Spring MVC, where the request is bound to the thread),
 * with the authenticated principal's name when there is one.
 */
@EndpointWebExtension(endpoint = ZmqEndpoint.class)
public class ZmqEndpointWebExtension {

    private static final boolean SERVLET_REQUESTS = ClassUtils.isPresent(
            "org.springframework.web.context.request.RequestContextHolder", ZmqEndpointWebExtension.class.getClassLoader())
            && ClassUtils.isPresent("jakarta.servlet.http.HttpServletRequest",
                    ZmqEndpointWebExtension.class.getClassLoader());

    private final ZmqEndpoint endpoint;

    public ZmqEndpointWebExtension(ZmqEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @ReadOperation
    public Map<String, Object> zmq() {
        return this.endpoint.zmq();
    }

    @WriteOperation
    public WebEndpointResponse<Map<String, Object>> command(SecurityContext securityContext, @Selector String kind,
            @Selector String name, String command) {
        String address = SERVLET_REQUESTS ? ServletRemoteAddress.current() : null;
        Principal principal = securityContext.getPrincipal();
        ZmqEndpoint.CommandResult result = this.endpoint.execute(kind, name, command,
                address != null ? "http " + address : "http", principal != null ? principal.getName() : null);
        return new WebEndpointResponse<>(result.body(), result.status());
    }
}
