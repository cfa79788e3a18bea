package io.github.zmqboot.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.aot.hint.annotation.Reflective;

/**
 * Marks a method to be called for every message arriving on a configured socket, the way {@code @KafkaListener}
 * and {@code @RabbitListener} work. A listener container (see
 * {@link io.github.zmqboot.listener.ZmqListenerEndpointRegistry}) owns the socket's receiving side and its threads.
 * <p>
 * Exactly one of {@link #peer()} (a {@code zmq.peers} name) and {@link #socket()} (a {@code zmq.sockets} name) must
 * be set. Every attribute is a {@code String} that accepts {@code ${…}} placeholders and {@code #{…}} SpEL.
 * <p>
 * Parameters: {@code byte[]}, {@code String}, {@code org.zeromq.ZMsg} (all payload frames),
 * {@code org.springframework.messaging.Message<?>}, any other type (converted from JSON), {@link RoutingId @RoutingId}
 * {@code int}, {@code @Header} for the headers of {@link io.github.zmqboot.listener.ZmqHeaders}, and the receiving
 * {@code ZmqPeer}/{@code ZmqSocket}. A non-null return value is converted and sent back to the sender (PEER, SERVER:
 * its routing id; ROUTER, DEALER: with the envelope it came with; REP: the reply, always sent).
 * Usable as a meta-annotation. Ahead-of-time processing registers the method and its payload types for reflection.
 */
@Target({ ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Reflective(ZmqListenerReflectiveProcessor.class)
public @interface ZmqListener {

    /** The container's id, for {@code ZmqListenerEndpointRegistry.getListenerContainer(id)}; default {@code <bean>.<method>}. */
    String id() default "";

    /** The {@code zmq.peers} name of the PEER socket to listen on. */
    String peer() default "";

    /** The {@code zmq.sockets} name of the socket to listen on. */
    String socket() default "";

    /**
     * Handler threads. With 1 (the default) the reading thread calls the method; with more, messages are handed to
     * that many threads, in arrival order per sender where the socket identifies senders (PEER and SERVER by routing
     * id, ROUTER by identity). REP requires 1.
     */
    String concurrency() default "1";

    /** Whether the container starts with the application context ({@code "true"} by default). */
    String autoStartup() default "true";

    /** Bean name of a {@link io.github.zmqboot.listener.ZmqListenerErrorHandler} for this listener. */
    String errorHandler() default "";
}
