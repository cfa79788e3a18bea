package io.github.zmqboot.internal.monitor;

import io.github.zmqboot.core.SocketEventListener;
import io.github.zmqboot.core.SocketEvent;
import io.github.zmqboot.core.ZmqThreadFactory;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.zeromq.SocketType;
import zmq.SocketBase;
import zmq.ZMQ;

/**
 * The engine's socket events for every socket of one socket factory, delivered on one shared thread.
 * <p>
 * {@link #attach} installs a {@link SocketEventHook} as the socket's engine event hook when the socket is created.
 * The engine calls the hook synchronously on the thread where the event happens (mostly an I/O thread); the hook
 * only counts, builds a {@link SocketEvent} and queues it, so the engine never waits. One thread,
 * {@value #THREAD_NAME}, takes events off the queue, logs what the starter logs (a connection dropped for an
 * oversized message or after a failed handshake, at WARN under the {@link SecurityLog} rule) and calls the
 * {@link SocketEventListener}s. It ends
 * after {@value #IDLE_SECONDS} s without events and starts again with the next one, so it needs no shutdown. When
 * the queue ({@value #QUEUE_CAPACITY} events) is full, events are dropped and counted ({@link #lostEvents()}).
 * <p>
 * Why not the engine's {@code ZMQ_MONITOR}: in JeroMQ 0.6.0 it writes each event with a blocking send to an inproc
 * PAIR socket, on the thread that raised it, so a reader that is not connected yet or falls behind stalls a bind or
 * an I/O thread; it needs two extra sockets per monitored socket; and the serialised event loses what tells an
 * oversized-message drop apart (the remote address and the I/O thread's error code).
 */
public final class SocketMonitor {

    private static final Log logger = LogFactory.getLog(SocketMonitor.class);

    static final String THREAD_NAME = "zmq-socket-monitor";

    static final int QUEUE_CAPACITY = 4096;

    static final int IDLE_SECONDS = 5;

    /** The engine events the starter asks for. */
    static final int EVENTS = ZMQ.ZMQ_EVENT_CONNECTED | ZMQ.ZMQ_EVENT_ACCEPTED | ZMQ.ZMQ_EVENT_DISCONNECTED
            | ZMQ.ZMQ_EVENT_BIND_FAILED | ZMQ.ZMQ_EVENT_ACCEPT_FAILED | ZMQ.ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL
            | ZMQ.ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL | ZMQ.ZMQ_EVENT_HANDSHAKE_FAILED_AUTH;

    private final List<SocketEventListener> listeners = new CopyOnWriteArrayList<>();

    private final AtomicLong lostEvents = new AtomicLong();

    private final ThreadPoolExecutor dispatcher;

    /** A monitor whose thread is a {@link ZmqThreadFactory#platform() platform} thread. */
    public SocketMonitor() {
        this(ZmqThreadFactory.platform());
    }

    /** @param threads makes the monitor's thread ({@link ZmqThreadFactory.Role#MONITOR}) */
    public SocketMonitor(ZmqThreadFactory threads) {
        this.dispatcher = new ThreadPoolExecutor(1, 1, IDLE_SECONDS, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE_CAPACITY),
                runnable -> threads.newThread(ZmqThreadFactory.Role.MONITOR, THREAD_NAME, runnable),
                (runnable, executor) -> this.lostEvents.incrementAndGet());
        this.dispatcher.allowCoreThreadTimeOut(true);
    }

    /**
     * Installs the event hook on a new socket. A socket that already has an engine monitor (a customizer's) keeps
     * it; the returned hook then stays silent.
     *
     * @param socketName the socket's name
     * @param type the socket's type
     * @param base the engine socket
     * @param maxMessageSize the socket's effective {@code max-message-size} (for the log)
     * @return the socket's hook and its counters
     */
    public SocketEventHook attach(String socketName, SocketType type, SocketBase base, long maxMessageSize) {
        SocketEventHook hook = new SocketEventHook(this::publish, socketName, type, base, maxMessageSize);
        try {
            if (!base.setEventHook(hook, EVENTS)) {
                logger.debug("Socket '" + socketName + "' refused the event hook (errno " + base.errno() + ")");
                return SocketEventHook.detached(socketName, type);
            }
        }
        catch (IllegalStateException ex) {
            logger.info("Socket '" + socketName + "' already has an engine monitor (set by a customizer); the starter "
                    + "reports no events and counts no oversized-message drops for it");
            return SocketEventHook.detached(socketName, type);
        }
        return hook;
    }

    /** Adds a listener for the events of every socket attached to this monitor. */
    public void addListener(SocketEventListener listener) {
        this.listeners.add(listener);
    }

    /** Removes a listener added with {@link #addListener}. */
    public void removeListener(SocketEventListener listener) {
        this.listeners.remove(listener);
    }

    /** How many events were dropped because the queue was full. */
    public long lostEvents() {
        return this.lostEvents.get();
    }

    /**
     * Queues an event; called on the engine's thread, never blocks.
     *
     * @param failure the failed handshake that ended this connection (a {@code DISCONNECTED} event), or null
     * @param log whether to log a hostile end of the connection (false: its cause logged it already)
     */
    void publish(SocketEventHook hook, SocketEvent event, SocketEventHook.HandshakeFailure failure, boolean log) {
        this.dispatcher.execute(() -> dispatch(hook, event, failure, log));
    }

    private void dispatch(SocketEventHook hook, SocketEvent event, SocketEventHook.HandshakeFailure failure,
            boolean log) {
        if (log) {
            hook.logHostileConnection(event, failure);
        }
        for (SocketEventListener listener : this.listeners) {
            try {
                listener.onEvent(event);
            }
            catch (RuntimeException ex) {
                logger.error("Socket event listener " + listener + " failed on " + event, ex);
            }
        }
    }
}
