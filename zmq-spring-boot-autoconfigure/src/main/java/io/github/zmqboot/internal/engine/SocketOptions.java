package io.github.zmqboot.internal.engine;

import java.nio.charset.StandardCharsets;
import java.time.Duration;


/**
 * The options of one socket, each with libzmq's meaning. A {@code null} component means "not set here": it is
 * taken from the next level by {@link #withFallback(SocketOptions)} (the socket's own options, then
 * {@code zmq.defaults}, then {@code zmq.context.linger}, then {@link #BUILT_IN}).
 *
 * @param sendHwm {@code ZMQ_SNDHWM}: messages queued per connection for sending (0 = unlimited)
 * @param receiveHwm {@code ZMQ_RCVHWM}: messages queued per connection for receiving (0 = unlimited)
 * @param immediate {@code ZMQ_IMMEDIATE}: queue messages only to completed connections
 * @param maxMessageSize {@code ZMQ_MAXMSGSIZE}: bytes; a larger inbound frame drops its connection (-1 = no limit,
 * libzmq's default; built in: {@link #DEFAULT_MAX_MESSAGE_SIZE})
 * @param heartbeatInterval {@code ZMQ_HEARTBEAT_IVL} (0 = off)
 * @param heartbeatTimeout {@code ZMQ_HEARTBEAT_TIMEOUT} (0 = the heartbeat interval)
 * @param reconnectInterval {@code ZMQ_RECONNECT_IVL}
 * @param handshakeInterval {@code ZMQ_HANDSHAKE_IVL}: the whole handshake, greeting through the mechanism's last
 * command; a connection that has not completed it is closed (0 = no limit)
 * @param sendTimeout {@code ZMQ_SNDTIMEO} (negative = block while the HWM is reached)
 * @param receiveTimeout {@code ZMQ_RCVTIMEO} (negative = block)
 * @param linger {@code ZMQ_LINGER}: how long unsent messages are kept after close (negative = for ever)
 * @param routingId {@code ZMQ_ROUTING_ID}: the identity a ROUTER sees for this socket
 * @param routerMandatory {@code ZMQ_ROUTER_MANDATORY} (ROUTER only)
 * @param conflate {@code ZMQ_CONFLATE}: keep only the last message
 * @param ipv6 {@code ZMQ_IPV6}
 * @param curve CURVE security ({@code ZMQ_CURVE_*}), taken as a whole from the first level that sets it
 * @param sslBundle the Spring Boot SSL bundle of {@code wss://} endpoints: a bind serves its key store, a connect
 * trusts its trust store (unset: the JVM's default trust store; a wss bind needs one)
 * @param maxConnections the most inbound connections at once, over all the socket's bound endpoints together (-1 =
 * no limit; libzmq has no such option): a connection beyond it is accepted and closed at once
 */
public record SocketOptions(
        Integer sendHwm,
        Integer receiveHwm,
        Boolean immediate,
        Long maxMessageSize,
        Duration heartbeatInterval,
        Duration heartbeatTimeout,
        Duration reconnectInterval,
        Duration handshakeInterval,
        Duration sendTimeout,
        Duration receiveTimeout,
        Duration linger,
        String routingId,
        Boolean routerMandatory,
        Boolean conflate,
        Boolean ipv6,
        CurveOptions curve,
        String sslBundle,
        Integer maxConnections) {

    /** No option set: every value comes from the fallback. */
    public static final SocketOptions NONE = new SocketOptions(null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null);

    /**
     * The built-in {@code max-message-size}: 1 MiB (libzmq: -1, no limit). The one deliberate difference from
     * libzmq's defaults that is about safety: the engine allocates a frame's whole announced size as soon as it reads
     * the size, so without a limit any peer can make a socket allocate up to 2 GiB per connection. 1 MiB is what
     * Kafka's producer and broker and the NATS server default to, it keeps every frame on the heap (the engine puts
     * frames above 1 MiB in direct memory), and 50 connections that each announce the maximum hold 50 MiB.
     */
    public static final long DEFAULT_MAX_MESSAGE_SIZE = 1024 * 1024;

    /**
     * The product's built-in defaults: libzmq's, except a bounded {@code max-message-size}
     * ({@value #DEFAULT_MAX_MESSAGE_SIZE} bytes; libzmq: no limit), a 5 s handshake interval (libzmq: 30 s) that
     * heals the engine's rare stalled connects sooner, and a 1 s linger (libzmq: 30 s in 4.x) so shutdown is prompt.
     */
    public static final SocketOptions BUILT_IN = new SocketOptions(1000, 1000, false, DEFAULT_MAX_MESSAGE_SIZE,
            Duration.ZERO,
            Duration.ZERO, Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofMillis(-1),
            Duration.ofMillis(-1), Duration.ofSeconds(1), null, false, false, false, null, null, -1);

    /** Only a linger; used to make {@code zmq.context.linger} a level of the fallback chain. */
    public static SocketOptions lingerOnly(Duration linger) {
        return NONE.withLinger(linger);
    }

    /** A copy with this linger. */
    public SocketOptions withLinger(Duration value) {
        return new SocketOptions(sendHwm, receiveHwm, immediate, maxMessageSize, heartbeatInterval,
                heartbeatTimeout, reconnectInterval, handshakeInterval, sendTimeout, receiveTimeout, value, routingId,
                routerMandatory, conflate, ipv6, curve, sslBundle, maxConnections);
    }

    /** A copy with this CURVE security ({@link CurveOptions#NONE}: none, whatever the defaults say). */
    public SocketOptions withCurve(CurveOptions value) {
        return new SocketOptions(sendHwm, receiveHwm, immediate, maxMessageSize, heartbeatInterval,
                heartbeatTimeout, reconnectInterval, handshakeInterval, sendTimeout, receiveTimeout, linger, routingId,
                routerMandatory, conflate, ipv6, value, sslBundle, maxConnections);
    }

    /** Every option not set here taken from {@code fallback}. */
    public SocketOptions withFallback(SocketOptions fallback) {
        return new SocketOptions(
                or(sendHwm, fallback.sendHwm),
                or(receiveHwm, fallback.receiveHwm),
                or(immediate, fallback.immediate),
                or(maxMessageSize, fallback.maxMessageSize),
                or(heartbeatInterval, fallback.heartbeatInterval),
                or(heartbeatTimeout, fallback.heartbeatTimeout),
                or(reconnectInterval, fallback.reconnectInterval),
                or(handshakeInterval, fallback.handshakeInterval),
                or(sendTimeout, fallback.sendTimeout),
                or(receiveTimeout, fallback.receiveTimeout),
                or(linger, fallback.linger),
                or(routingId, fallback.routingId),
                or(routerMandatory, fallback.routerMandatory),
                or(conflate, fallback.conflate),
                or(ipv6, fallback.ipv6),
                or(curve, fallback.curve),
                or(sslBundle, fallback.sslBundle),
                or(maxConnections, fallback.maxConnections));
    }

    /**
     * Checks every value set here against libzmq's rules.
     *
     * @throws InvalidSocketOptionException naming the first invalid option (kebab-case, as in properties)
     */
    public void validate() {
        requireAtLeast("send-hwm", sendHwm, 0);
        requireAtLeast("receive-hwm", receiveHwm, 0);
        if (maxMessageSize != null && maxMessageSize < -1) {
            throw new InvalidSocketOptionException("max-message-size", maxMessageSize, "must be -1 (no limit) or a size in bytes");
        }
        requireNotNegative("heartbeat-interval", heartbeatInterval);
        requireNotNegative("heartbeat-timeout", heartbeatTimeout);
        requireNotNegative("reconnect-interval", reconnectInterval);
        requireNotNegative("handshake-interval", handshakeInterval);
        requireMillis("heartbeat-interval", heartbeatInterval);
        requireMillis("heartbeat-timeout", heartbeatTimeout);
        requireMillis("reconnect-interval", reconnectInterval);
        requireMillis("handshake-interval", handshakeInterval);
        requireMillis("send-timeout", sendTimeout);
        requireMillis("receive-timeout", receiveTimeout);
        requireMillis("linger", linger);
        if (routingId != null) {
            int length = routingId.getBytes(StandardCharsets.UTF_8).length;
            if (length > 255) {
                throw new InvalidSocketOptionException("routing-id", routingId, "must be at most 255 bytes in UTF-8");
            }
            if (routingId.startsWith("\0")) {
                throw new InvalidSocketOptionException("routing-id", routingId, "must not start with a zero byte (reserved by ZeroMQ)");
            }
        }
        if (curve != null) {
            curve.resolve();
        }
        if (maxConnections != null && maxConnections < 1 && maxConnections != -1) {
            throw new InvalidSocketOptionException("max-connections", maxConnections,
                    "must be -1 (no limit) or at least 1");
        }
    }

    /** {@code Duration} to engine milliseconds: negative stays -1 (infinite). */
    static int millis(Duration duration) {
        return duration.isNegative() ? -1 : (int) duration.toMillis();
    }

    private static void requireAtLeast(String option, Integer value, int minimum) {
        if (value != null && value < minimum) {
            throw new InvalidSocketOptionException(option, value, "must be at least " + minimum);
        }
    }

    private static void requireNotNegative(String option, Duration value) {
        if (value != null && value.isNegative()) {
            throw new InvalidSocketOptionException(option, value, "must not be negative");
        }
    }

    private static void requireMillis(String option, Duration value) {
        if (value != null && value.toMillis() > Integer.MAX_VALUE) {
            throw new InvalidSocketOptionException(option, value, "must be at most " + Integer.MAX_VALUE + " ms");
        }
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
