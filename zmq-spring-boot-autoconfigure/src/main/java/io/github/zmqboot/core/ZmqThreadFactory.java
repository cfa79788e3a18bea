package io.github.zmqboot.core;

/**
 * Makes every thread the starter starts, one {@link Role} at a time. Declare a bean of this type (the starter's own
 * is named {@code zmqThreadFactory}) to name, group or wrap them; delegate to {@link #platform()} for the roles you
 * leave alone.
 * <p>
 * A thread of every role but {@link Role#HANDLER} waits inside JeroMQ, which parks with {@code synchronized} and
 * selector waits: return a platform thread for those. Only handler threads may be virtual; the starter's own factory
 * makes them virtual when {@code spring.threads.virtual.enabled=true} on Java 21+.
 */
@FunctionalInterface
public interface ZmqThreadFactory {

    /**
     * Makes a thread; the starter starts it.
     *
     * @param role what the thread does
     * @param name the starter's name for it (see {@link Role}), e.g. {@code zmq-alice-reader}
     * @param task what it runs
     * @return a new, unstarted thread that runs {@code task}
     */
    Thread newThread(Role role, String name, Runnable task);

    /**
     * Platform threads with the starter's names; daemon threads, but for {@link Role#PROXY}: a running proxy keeps
     * the JVM alive, as a broker should.
     */
    static ZmqThreadFactory platform() {
        return (role, name, task) -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(role != Role.PROXY);
            return thread;
        };
    }

    /** What a thread does; each constant names the thread as the starter does by default. */
    enum Role {

        /**
         * {@code zmq-<socket>-reader}: takes every message off a socket a {@code @ZmqListener} (or the ZAP handler)
         * reads, while it reads; waits inside the engine.
         */
        READER,

        /**
         * {@code zmq-<listener id>-<n>}: the handler threads of a listener with {@code concurrency} &gt; 1, from the
         * listener's start to its stop. May be virtual.
         */
        HANDLER,

        /**
         * {@code zmq-listener-<listener id>-stop}: finishes a listener's stop that the caller does not wait for (the
         * application context's shutdown, a handler stopping its own listener).
         */
        LISTENER_STOP,

        /** {@code zmq-proxy-<proxy>}: runs one proxy from its start to its end; waits inside the engine. */
        PROXY,

        /**
         * {@code zmq-socket-monitor}: hands socket events to the {@link SocketEventListener}s; started with the first
         * event, ends after 5 s without one.
         */
        MONITOR,

        /**
         * {@code zmq-context-termination}: terminates the ZeroMQ context on shutdown, waited for at most the longest
         * linger plus 1 s; waits inside the engine.
         */
        CONTEXT_TERMINATION
    }
}
