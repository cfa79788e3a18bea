package io.github.zmqboot.autoconfigure;

import java.time.Duration;

import io.github.zmqboot.internal.engine.SocketOptions;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * Socket options with libzmq's meaning. An option left unset falls back to {@code zmq.defaults}, then the
 * built-in default named in its description.
 */
public class SocketProperties {

    /** Messages queued per connection for sending (ZMQ_SNDHWM; 0 = unlimited). Built-in default 1000. */
    private Integer sendHwm;

    /** Messages queued per connection for receiving (ZMQ_RCVHWM; 0 = unlimited). Built-in default 1000. */
    private Integer receiveHwm;

    /**
     * Queue messages only to completed connections (ZMQ_IMMEDIATE, libzmq's meaning). A PEER with
     * immediate=true cannot connect (EFAULT). Built-in default false.
     */
    private Boolean immediate;

    /**
     * Largest inbound message part (frame) in bytes; a larger one drops its connection (ZMQ_MAXMSGSIZE).
     * Built-in default 1048576 (1 MiB), unlike libzmq; -1 = no limit (libzmq's default).
     */
    private Long maxMessageSize;

    /** Interval of ZMTP heartbeats (ZMQ_HEARTBEAT_IVL; 0 = off). Built-in default 0. */
    private Duration heartbeatInterval;

    /** How long to wait for a heartbeat reply before closing the connection (ZMQ_HEARTBEAT_TIMEOUT). */
    private Duration heartbeatTimeout;

    /** Interval between reconnect attempts (ZMQ_RECONNECT_IVL). Built-in default 100ms. */
    private Duration reconnectInterval;

    /**
     * Maximum time for the whole ZMTP handshake, greeting through the mechanism's last command; a connection that
     * has not completed it is closed (ZMQ_HANDSHAKE_IVL; 0 = no limit). Built-in default 5s.
     */
    private Duration handshakeInterval;

    /** Send timeout (ZMQ_SNDTIMEO): -1 blocks while the HWM is reached, otherwise EAGAIN after this long. */
    private Duration sendTimeout;

    /** Receive timeout of blocking engine receives (ZMQ_RCVTIMEO; -1 = block). */
    private Duration receiveTimeout;

    /** How long unsent messages are kept after close (ZMQ_LINGER; -1 = infinite). Default zmq.context.linger. */
    private Duration linger;

    /** The identity a ROUTER sees for this socket (ZMQ_ROUTING_ID; DEALER, REQ, ROUTER). */
    private String routingId;

    /** ROUTER only: a message to an unknown identity fails with EHOSTUNREACH instead of vanishing. */
    private Boolean routerMandatory;

    /** Keep only the last message in each queue (ZMQ_CONFLATE). Built-in default false. */
    private Boolean conflate;

    /** Use IPv6 as well as IPv4 (ZMQ_IPV6). Built-in default false. */
    private Boolean ipv6;

    /** CURVE security (ZMQ_CURVE_*); unset: no security (the NULL mechanism). */
    @NestedConfigurationProperty
    private CurveProperties curve;

    /**
     * Name of the Spring Boot SSL bundle (spring.ssl.bundle.*) of wss:// endpoints: a bind serves its key store,
     * a connect trusts its trust store. Unset: a wss connect trusts the JVM's default trust store.
     */
    private String sslBundle;

    /**
     * The most inbound connections at once, over all the socket's bound endpoints together; a connection beyond
     * it is accepted and closed at once, counted and shown in the health details (-1 = no limit). Built-in
     * default -1.
     */
    private Integer maxConnections;

    /** These options as the socket factory takes them (unset values stay null). */
    public SocketOptions toSocketOptions() {
        return new SocketOptions(this.sendHwm, this.receiveHwm, this.immediate, this.maxMessageSize,
                this.heartbeatInterval, this.heartbeatTimeout, this.reconnectInterval, this.handshakeInterval,
                this.sendTimeout, this.receiveTimeout, this.linger, this.routingId, this.routerMandatory,
                this.conflate, this.ipv6, this.curve != null ? this.curve.toCurveOptions() : null,
                this.sslBundle, this.maxConnections);
    }

    public Integer getMaxConnections() {
        return this.maxConnections;
    }

    public void setMaxConnections(Integer maxConnections) {
        this.maxConnections = maxConnections;
    }

    public String getSslBundle() {
        return this.sslBundle;
    }

    public void setSslBundle(String sslBundle) {
        this.sslBundle = sslBundle;
    }

    public Integer getSendHwm() {
        return this.sendHwm;
    }

    public void setSendHwm(Integer sendHwm) {
        this.sendHwm = sendHwm;
    }

    public Integer getReceiveHwm() {
        return this.receiveHwm;
    }

    public void setReceiveHwm(Integer receiveHwm) {
        this.receiveHwm = receiveHwm;
    }

    public Boolean getImmediate() {
        return this.immediate;
    }

    public void setImmediate(Boolean immediate) {
        this.immediate = immediate;
    }

    public Long getMaxMessageSize() {
        return this.maxMessageSize;
    }

    public void setMaxMessageSize(Long maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
    }

    public Duration getHeartbeatInterval() {
        return this.heartbeatInterval;
    }

    public void setHeartbeatInterval(Duration heartbeatInterval) {
        this.heartbeatInterval = heartbeatInterval;
    }

    public Duration getHeartbeatTimeout() {
        return this.heartbeatTimeout;
    }

    public void setHeartbeatTimeout(Duration heartbeatTimeout) {
        this.heartbeatTimeout = heartbeatTimeout;
    }

    public Duration getReconnectInterval() {
        return this.reconnectInterval;
    }

    public void setReconnectInterval(Duration reconnectInterval) {
        this.reconnectInterval = reconnectInterval;
    }

    public Duration getHandshakeInterval() {
        return this.handshakeInterval;
    }

    public void setHandshakeInterval(Duration handshakeInterval) {
        this.handshakeInterval = handshakeInterval;
    }

    public Duration getSendTimeout() {
        return this.sendTimeout;
    }

    public void setSendTimeout(Duration sendTimeout) {
        this.sendTimeout = sendTimeout;
    }

    public Duration getReceiveTimeout() {
        return this.receiveTimeout;
    }

    public void setReceiveTimeout(Duration receiveTimeout) {
        this.receiveTimeout = receiveTimeout;
    }

    public Duration getLinger() {
        return this.linger;
    }

    public void setLinger(Duration linger) {
        this.linger = linger;
    }

    public String getRoutingId() {
        return this.routingId;
    }

    public void setRoutingId(String routingId) {
        this.routingId = routingId;
    }

    public Boolean getRouterMandatory() {
        return this.routerMandatory;
    }

    public void setRouterMandatory(Boolean routerMandatory) {
        this.routerMandatory = routerMandatory;
    }

    public Boolean getConflate() {
        return this.conflate;
    }

    public void setConflate(Boolean conflate) {
        this.conflate = conflate;
    }

    public Boolean getIpv6() {
        return this.ipv6;
    }

    public void setIpv6(Boolean ipv6) {
        this.ipv6 = ipv6;
    }

    public CurveProperties getCurve() {
        return this.curve;
    }

    public void setCurve(CurveProperties curve) {
        this.curve = curve;
    }
}
