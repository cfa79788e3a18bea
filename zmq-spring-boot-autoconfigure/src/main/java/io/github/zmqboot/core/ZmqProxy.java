package io.github.zmqboot.core;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A proxy between a frontend and a backend socket, libzmq's {@code zmq_proxy_steerable}: a shared queue
 * (ROUTER-DEALER), a forwarder (XSUB-XPUB) or a pipeline (PULL-PUSH), with an optional capture socket that gets a
 * copy of every message and an optional control socket that speaks libzmq's steering protocol. One bean exists per
 * {@code zmq.proxies.<name>} entry.
 * <p>
 * Every method is thread-safe and may be called from any thread. Steering never races the proxy's own thread: a
 * call returns once the proxy has applied it. Every steering call ({@link #start()} by the application, pause,
 * resume, terminate) is logged and published as a {@link ZmqSteeringEvent} with origin {@code api}.
 */
public interface ZmqProxy {

    /** The bean name, the key under {@code zmq.proxies}. */
    String name();

    /** The current state; {@link State#TERMINATED} before the first start. */
    State state();

    /** Why the proxy is {@link State#FAILED}; {@code null} in every other state. */
    @Nullable Throwable failure();

    /**
     * Creates the proxy's sockets, binds and connects them, and starts forwarding; returns once they are bound.
     * After {@link #terminate()} this binds the configured endpoints anew (a wildcard port may resolve to a new
     * one). Does nothing while the proxy is starting, running or paused.
     *
     * @throws RuntimeException when a socket cannot be created, bound or connected; the proxy is then
     *         {@link State#FAILED} with that cause as its {@link #failure()}
     */
    void start();

    /**
     * {@code PAUSE}: no message moves until {@link #resume()}; the proxy drops nothing itself (messages queue in
     * the sockets up to their high-water marks).
     *
     * @throws IllegalStateException when the proxy is not running
     */
    void pause();

    /**
     * {@code RESUME}: forwarding continues, queued messages included.
     *
     * @throws IllegalStateException when the proxy is not running
     */
    void resume();

    /**
     * {@code TERMINATE}: stops forwarding and closes the proxy's sockets, so its ports are free again when this
     * returns. As with {@code zmq_proxy_steerable}, messages still queued in those sockets go with them (outgoing
     * ones get the sockets' linger). Does nothing when the proxy is not running.
     */
    void terminate();

    /**
     * The eight counters of {@code zmq_proxy_steerable}'s {@code STATISTICS}, counted since this proxy was created
     * (across restarts); readable at any time.
     */
    ProxyStatistics statistics();

    /** The resolved endpoints the frontend is bound to (empty, never null, while the proxy is not running). */
    List<String> frontendEndpoints();

    /** The resolved endpoints the backend is bound to (empty, never null, while the proxy is not running). */
    List<String> backendEndpoints();

    /** The resolved endpoints the control socket is bound to (empty, never null, without one). */
    List<String> controlEndpoints();

    /** The life of a proxy. */
    enum State {

        /** {@link #start()} is creating and binding the sockets. */
        STARTING,

        /** Messages are forwarded. */
        RUNNING,

        /** Paused: no message moves, none is dropped by the proxy. */
        PAUSED,

        /** Not running: never started, or terminated (its sockets are closed). */
        TERMINATED,

        /** Stopped by an error, available from {@link #failure()}; its sockets are closed. */
        FAILED
    }
}
