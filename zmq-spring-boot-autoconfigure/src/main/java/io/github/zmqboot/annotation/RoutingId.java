package io.github.zmqboot.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds a {@link ZmqListener} method parameter ({@code int} or {@code Integer}) to the routing id of the connection
 * the message came from (PEER and SERVER sockets); reply to it with {@code ZmqPeer.send(routingId, …)}.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface RoutingId {
}
