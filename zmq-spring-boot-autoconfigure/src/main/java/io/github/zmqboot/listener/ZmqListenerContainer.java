package io.github.zmqboot.listener;

import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.zmqboot.core.ZmqSteeringEvent.Outcome;
import io.github.zmqboot.core.ZmqSteeringEvent.Target;
import io.github.zmqboot.core.ZmqThreadFactory;
import io.github.zmqboot.internal.engine.InboundMessage;
import io.github.zmqboot.internal.engine.InboundReader;
import io.github.zmqboot.internal.monitor.SteeringAudit;
import io.github.zmqboot.internal.engine.InboundSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Runs one {@code @ZmqListener} method: owns the receiving side of its socket from creation until the socket closes,
 * takes every message off it on the socket's reading thread, and calls the method — on that thread with
 * {@code concurrency} 1, on that many handler threads otherwise (in arrival order per sender where the socket
 * identifies senders).
 * <p>
 * {@link #stop()} stops reading, finishes every message already taken off the socket, and leaves the socket open:
 * messages queue there (up to its HWM) until {@link #start()}. With {@code concurrency} &gt; 1 each handler thread
 * holds at most {@value ListenerLanes#LANE_CAPACITY} messages; the reading thread waits for room, so a slow handler
 * leaves messages in the socket, where its HWM pushes back on senders.
 * <p>
 * A {@link SmartLifecycle} in phase {@link ZmqListenerEndpointRegistry#PHASE}, started and stopped by the
 * {@link ZmqListenerEndpointRegistry} (not a bean itself): the registry starts it with the application context when
 * {@link #isAutoStartup()}, and stops it through {@link #stop(Runnable)}. Its threads come from the application's
 * {@link ZmqThreadFactory}: the reading thread ({@link ZmqThreadFactory.Role#READER}), the handler threads
 * ({@link ZmqThreadFactory.Role#HANDLER}) and the thread that finishes a stop nobody waits for
 * ({@link ZmqThreadFactory.Role#LISTENER_STOP}).
 */
public class ZmqListenerContainer implements SmartLifecycle {

    /** The lifecycle phase of listener containers: before proxies start, after they stop. */
    public static final int PHASE = Integer.MAX_VALUE - 100;

    private static final Log logger = LogFactory.getLog(ZmqListenerContainer.class);

    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);

    private final String id;

    private final InboundSource source;

    /** Typed by the messages it makes itself: every message the container hands it came from it. */
    private final ListenerInvoker<Object> invoker;

    private final int concurrency;

    private final boolean autoStartup;

    private final ZmqThreadFactory threads;

    /** Makes the handler threads, numbered from 1 over the container's life ({@code zmq-<id>-<n>}). */
    private final ThreadFactory handlerThreads;

    private final AtomicInteger handlerThreadCount = new AtomicInteger();

    /** The reading thread made last (a handler on it must not wait for a stop that waits for it). */
    private volatile Thread readingThread;

    /** Counted by the reading thread only (an {@link InboundReader} is told on the reading thread). */
    private final ListenerCount received = new ListenerCount();

    private final ListenerCount handled = new ListenerCount();

    private final ListenerCount failed = new ListenerCount();

    private final ListenerTiming timing = new ListenerTiming();

    private final AtomicInteger roundRobin = new AtomicInteger();

    private final boolean orderedBySender;

    private final Object lifecycleMonitor = new Object();

    private volatile boolean running;

    private volatile SteeringAudit steeringAudit = SteeringAudit.LOG_ONLY;

    private ListenerLanes lanes;

    /**
     * A stop that completes on a thread of its own (begun by a handler of this container, or by the application
     * context's {@link #stop(Runnable)}), until the next start or stop waited for it.
     */
    private Thread pendingStop;

    @SuppressWarnings("unchecked")
    ZmqListenerContainer(String id, InboundSource source, ListenerInvoker<?> invoker, int concurrency,
            boolean autoStartup, ZmqThreadFactory threads) {
        this.id = id;
        this.source = source;
        this.invoker = (ListenerInvoker<Object>) invoker;
        this.concurrency = concurrency;
        this.autoStartup = autoStartup;
        this.threads = threads;
        this.handlerThreads = task -> threads.newThread(ZmqThreadFactory.Role.HANDLER,
                "zmq-" + id + "-" + this.handlerThreadCount.incrementAndGet(), task);
        this.orderedBySender = switch (source.type()) {
            case PEER, SERVER, ROUTER -> true;
            default -> false;
        };
        source.claim(this);
    }

    /** The listener's id. */
    public String getId() {
        return this.id;
    }

    /** The name of the socket this listener reads. */
    public String getSocketName() {
        return this.source.name();
    }

    /** The number of handler threads. */
    public int getConcurrency() {
        return this.concurrency;
    }

    /** Whether the container starts with the application context. */
    @Override
    public boolean isAutoStartup() {
        return this.autoStartup;
    }

    /** {@link #PHASE}, the phase of the registry that starts and stops the container. */
    @Override
    public int getPhase() {
        return PHASE;
    }

    /** Starts reading the socket; a no-op when running. A steering command: recorded by the steering audit. */
    @Override
    public void start() {
        audited("START", this::startReading);
    }

    /**
     * Stops reading and finishes every message already taken off the socket; the socket stays open. A no-op when
     * stopped. Called by a handler of this container on one of its handler threads ({@code concurrency} &gt; 1), it
     * returns at once, and the stop completes on a thread of its own once that lane has room again. A steering
     * command: recorded by the steering audit.
     */
    @Override
    public void stop() {
        audited("STOP", this::stopReading);
    }

    /**
     * The application context's stop (no steering command): stops reading and finishes every message already taken
     * off the socket on a thread of its own, then runs {@code callback}; the socket stays open. When stopped, runs
     * {@code callback} once a stop still in progress completed.
     */
    @Override
    public void stop(Runnable callback) {
        synchronized (this.lifecycleMonitor) {
            if (this.running) {
                this.running = false; // before the stop, as in stopReading()
                stopInBackground(this.lanes, callback);
                return;
            }
        }
        try {
            stopReading();
        }
        finally {
            callback.run();
        }
    }

    /** Set by the registry on registration. */
    void steeringAudit(SteeringAudit audit) {
        this.steeringAudit = audit;
    }

    private void audited(String command, Runnable action) {
        try {
            action.run();
        }
        catch (RuntimeException ex) {
            this.steeringAudit.record(Target.LISTENER, this.id, command, Outcome.FAILED);
            throw ex;
        }
        this.steeringAudit.record(Target.LISTENER, this.id, command, Outcome.APPLIED);
    }

    /** {@link #start()} without the audit: the application context's start. */
    void startReading() {
        synchronized (this.lifecycleMonitor) {
            if (this.running) {
                return;
            }
            awaitPendingStop();
            this.lanes = this.concurrency > 1 ? new ListenerLanes(this.concurrency, this.handlerThreads) : null;
            this.source.startReading(new InboundReader() {

                @Override
                public void taken() {
                    ZmqListenerContainer.this.received.incrementOnReader();
                }

                @Override
                public void onMessage(InboundMessage message) {
                    dispatch(ZmqListenerContainer.this.invoker.message(message));
                }

                @Override
                public void onFrame(int routingId, byte[] frame) {
                    dispatch(ZmqListenerContainer.this.invoker.frame(routingId, frame));
                }

                @Override
                public Thread newReadingThread(String name, Runnable loop) {
                    Thread thread = ZmqListenerContainer.this.threads.newThread(ZmqThreadFactory.Role.READER, name,
                            loop);
                    ZmqListenerContainer.this.readingThread = thread;
                    return thread;
                }
            });
            this.running = true; // after the start, so that isDead() never sees running without a reader
            logger.debug("Started listener '" + this.id + "' on socket '" + this.source.name() + "'");
        }
    }

    /** {@link #stop()} without the audit: the application context's stop. */
    void stopReading() {
        synchronized (this.lifecycleMonitor) {
            if (!this.running) {
                ListenerLanes current = this.lanes;
                boolean handlerThread = (current != null && current.isLaneThread())
                        || Thread.currentThread() == this.readingThread;
                if (!handlerThread) {
                    awaitPendingStop(); // a stop begun before completes before, say, the socket closes
                }
                return;
            }
            this.running = false; // before the stop, for the same reason
            // the lanes stay in place until the reading thread stopped: it hands every message it took to them
            ListenerLanes stopping = this.lanes;
            if (stopping != null && stopping.isLaneThread()) {
                // the reading thread may be waiting for room in this very lane: waiting for it here would wait for
                // ourselves (the next start replaces the lanes)
                stopInBackground(stopping, () -> { });
                return;
            }
            stopReadingAndDrain(stopping);
            this.lanes = null;
        }
    }

    /** Stops on a thread of its own, then runs {@code callback}; under the monitor, after {@code running} fell. */
    private void stopInBackground(ListenerLanes stopping, Runnable callback) {
        Thread thread = this.threads.newThread(ZmqThreadFactory.Role.LISTENER_STOP, "zmq-listener-" + this.id + "-stop",
                () -> {
                    try {
                        stopReadingAndDrain(stopping);
                    }
                    finally {
                        callback.run();
                    }
                });
        this.pendingStop = thread;
        thread.start();
    }

    private void stopReadingAndDrain(ListenerLanes stopping) {
        this.source.stopReading();
        if (stopping != null && !stopping.drain(DRAIN_TIMEOUT)) {
            logger.warn("Listener '" + this.id + "' still had messages in hand after " + DRAIN_TIMEOUT);
        }
        logger.debug("Stopped listener '" + this.id + "'");
    }

    /** Waits for a stop a handler of this container began (before a start or a later stop); under the monitor. */
    private void awaitPendingStop() {
        Thread stopping = this.pendingStop;
        this.pendingStop = null;
        if (stopping == null) {
            return;
        }
        try {
            stopping.join(DRAIN_TIMEOUT.multipliedBy(2).toMillis());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the container is reading its socket. */
    @Override
    public boolean isRunning() {
        return this.running;
    }

    /**
     * Whether the container is running but receives nothing any more: its socket closed under it (closed by
     * application code, or its context terminated) or its reading thread ended. Health reports such a listener
     * {@code DOWN}; only a restart of the application brings it back.
     */
    public boolean isDead() {
        return this.running && !this.source.isReading();
    }

    /** Messages taken off the socket. */
    public long received() {
        return this.received.sum();
    }

    /** Messages handled successfully. */
    public long handled() {
        return this.handled.sum();
    }

    /** Messages whose handling failed (disjoint from {@link #handled()}). */
    public long failed() {
        return this.failed.sum();
    }

    /** Calls the method for a message the source took off the socket (and counted with {@code taken}). */
    private void dispatch(Object message) {
        ListenerLanes current = this.lanes;
        if (current == null) {
            process(message, true);
        }
        else {
            int lane = this.orderedBySender ? this.invoker.senderKey(message) : this.roundRobin.incrementAndGet();
            current.execute(lane, () -> process(message, false));
        }
    }

    /** Calls the method and counts the outcome; {@code onReader}: on the socket's reading thread. */
    private void process(Object message, boolean onReader) {
        ListenerInvoker.Outcome outcome;
        if (this.timing.isDue()) {
            long start = System.nanoTime();
            outcome = this.invoker.invoke(message);
            this.timing.record(System.nanoTime() - start, outcome.succeeded());
        }
        else {
            outcome = this.invoker.invoke(message);
        }
        ListenerCount count = outcome.succeeded() ? this.handled : this.failed;
        if (onReader) {
            count.incrementOnReader();
        }
        else {
            count.incrementOnHandlerThread();
        }
        this.invoker.reply(message, outcome);
    }

    /**
     * Starts measuring how long the method takes (for metrics); off until asked for. A sample of the calls is timed,
     * the first call included, as many as keep the clock reads to a few percent of the calls' own time (see
     * {@link ListenerTiming}); the totals are estimated from that sample.
     */
    public void enableTiming() {
        this.timing.enable();
    }

    /**
     * Estimated total time spent in calls that succeeded, in nanoseconds (while timing is enabled): the weighted mean
     * of the timed successful calls times their count; 0 until one was timed.
     */
    public long handledNanos() {
        return this.timing.handledNanos(handled());
    }

    /**
     * Estimated total time spent in calls that failed, error handler included, in nanoseconds (as
     * {@link #handledNanos()}).
     */
    public long failedNanos() {
        return this.timing.failedNanos(failed());
    }

    @Override
    public String toString() {
        return "ZmqListenerContainer '" + this.id + "' on socket '" + this.source.name() + "'";
    }
}
