package io.github.zmqboot.internal.proxy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import io.github.zmqboot.core.ProxyStatistics;
import io.github.zmqboot.core.ZmqError;
import io.github.zmqboot.core.ZmqException;
import io.github.zmqboot.core.ZmqProxy;
import io.github.zmqboot.core.ZmqSteeringEvent;
import io.github.zmqboot.core.ZmqSteeringEvent.Outcome;
import io.github.zmqboot.core.ZmqSteeringEvent.Target;
import io.github.zmqboot.internal.monitor.SteeringAudit;
import io.github.zmqboot.internal.engine.ZmqSocketFactory;
import io.github.zmqboot.internal.transport.ConnectionCounts;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

/**
 * The {@link ZmqProxy} bean of one {@code zmq.proxies.<name>} entry: its state machine and its life with the
 * application context. Each {@link #start()} begins a run ({@link ProxyLoop}) on a thread of its own that creates,
 * binds, uses and closes the proxy's sockets; steering calls hand their command to that thread and wait until it is
 * applied.
 * <p>
 * As a {@link SmartLifecycle} in phase {@link #PHASE} it starts after the socket beans are bound and after the
 * listener containers, unless {@code auto-startup} is false, and it stops before them when the context stops or
 * closes: a router-dealer proxy drains first (no new requests; replies go on until every forwarded request is
 * answered or {@code drain-timeout} passed) while the application's listeners still serve; other proxies terminate
 * at once. A start that cannot set up the sockets throws (failing the application's startup when automatic) and
 * leaves the proxy {@link State#FAILED} with the cause.
 */
public class DefaultZmqProxy implements ZmqProxy, SmartLifecycle {

    /**
     * Lifecycle phase of proxies: they start after the listener containers ({@code Integer.MAX_VALUE - 100}) and
     * stop before them, so that the listeners answer what a draining proxy forwarded.
     */
    public static final int PHASE = Integer.MAX_VALUE - 50;

    private static final Log logger = LogFactory.getLog(DefaultZmqProxy.class);

    private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(30);

    private static final Duration STEERING_TIMEOUT = Duration.ofSeconds(30);

    private static final Duration TERMINATION_TIMEOUT = Duration.ofSeconds(30);

    private final ProxyDefinition definition;

    private final ZmqSocketFactory socketFactory;

    private final Function<ProxySetupException, RuntimeException> setupFailureTranslator;

    private final TrafficCounters counters = new TrafficCounters();

    private final Object lifecycleMonitor = new Object();

    private volatile State state = State.TERMINATED;

    private volatile Throwable failure;

    private volatile ProxyEndpoints endpoints = ProxyEndpoints.NONE;

    private volatile ProxyLoop run;

    private volatile Runnable roundHook;

    private final SteeringAudit audit;

    /** The application context's first start of an auto-startup proxy is no steering command: not recorded. */
    private boolean lifecycleStartPending;

    /**
     * @param definition what the proxy is made of
     * @param socketFactory where its sockets come from
     * @param setupFailureTranslator turns a setup failure into the exception {@link #start()} throws (e.g. one
     *        naming the property path)
     * @param audit records the steering commands given to this proxy
     */
    public DefaultZmqProxy(ProxyDefinition definition, ZmqSocketFactory socketFactory,
            Function<ProxySetupException, RuntimeException> setupFailureTranslator, SteeringAudit audit) {
        this.definition = definition;
        this.socketFactory = socketFactory;
        this.setupFailureTranslator = setupFailureTranslator;
        this.audit = audit;
        this.lifecycleStartPending = definition.autoStartup();
    }

    @Override
    public String name() {
        return this.definition.name();
    }

    /** The configured preset ({@code router-dealer}, {@code xsub-xpub}, {@code pull-push}) or {@code custom}. */
    public String type() {
        return this.definition.typeName();
    }

    /**
     * Each side's inbound connections and the connections its transports refused or dropped as hostile
     * ({@code max-connections}, handshake timeouts, ...), by side ({@code frontend}, ...), over every run.
     */
    public java.util.Map<String, ConnectionCounts> connectionCounts() {
        java.util.Map<String, ConnectionCounts> counts = new java.util.LinkedHashMap<>();
        for (ProxySide side : this.definition.sides()) {
            String property = side.role().propertyName();
            counts.put(property, this.socketFactory.connectionCounts(name() + "." + property));
        }
        return counts;
    }

    /** What the proxy is made of. */
    public ProxyDefinition definition() {
        return this.definition;
    }

    @Override
    public State state() {
        return this.state;
    }

    @Override
    public Throwable failure() {
        return this.state == State.FAILED ? this.failure : null;
    }

    @Override
    public void start() {
        boolean steering;
        synchronized (this.lifecycleMonitor) {
            steering = !this.lifecycleStartPending;
            this.lifecycleStartPending = false;
        }
        if (steering) {
            audited("START", this::startRun);
        }
        else {
            startRun();
        }
    }

    private void startRun() {
        synchronized (this.lifecycleMonitor) {
            if (isRunning()) {
                return;
            }
            ProxyLoop previous = this.run;
            if (previous != null && !previous.awaitEnd(TERMINATION_TIMEOUT)) {
                throw new IllegalStateException("Proxy '" + name() + "': the previous run has not ended yet");
            }
            this.failure = null;
            this.state = State.STARTING;
            try {
                this.run = ProxyLoop.start(this.definition, this.socketFactory, this.counters, new RunObserver(),
                        this.roundHook, SETUP_TIMEOUT);
            }
            catch (RuntimeException ex) {
                RuntimeException reported = ex instanceof ProxySetupException setup
                        ? this.setupFailureTranslator.apply(setup) : ex;
                this.run = null;
                this.failure = reported;
                this.state = State.FAILED;
                // thrown to the caller (and reported by Boot when automatic): logged here only for debugging
                logger.debug("Proxy '" + name() + "' failed to start", reported);
                throw reported;
            }
        }
    }

    @Override
    public void pause() {
        audited("PAUSE", () -> steer(ControlProtocol.Command.PAUSE));
    }

    @Override
    public void resume() {
        audited("RESUME", () -> steer(ControlProtocol.Command.RESUME));
    }

    @Override
    public void terminate() {
        audited("TERMINATE", this::terminateRun);
    }

    /** Runs a steering command of the Java API and records it with its outcome. */
    private void audited(String command, Runnable action) {
        try {
            action.run();
        }
        catch (IllegalStateException ex) {
            this.audit.record(Target.PROXY, name(), command, Outcome.REFUSED);
            throw ex;
        }
        catch (RuntimeException ex) {
            this.audit.record(Target.PROXY, name(), command, Outcome.FAILED);
            throw ex;
        }
        this.audit.record(Target.PROXY, name(), command, Outcome.APPLIED);
    }

    private void terminateRun() {
        synchronized (this.lifecycleMonitor) {
            ProxyLoop current = this.run;
            if (current == null) {
                return;
            }
            if (current.isOwnThread()) {
                throw new IllegalStateException("Proxy '" + name() + "' cannot be terminated from its own thread");
            }
            current.steer(ControlProtocol.Command.TERMINATE);
            if (!current.awaitEnd(TERMINATION_TIMEOUT)) {
                logger.warn("Proxy '" + name() + "' did not end within " + TERMINATION_TIMEOUT.toSeconds() + " s");
            }
        }
    }

    @Override
    public ProxyStatistics statistics() {
        return this.counters.published();
    }

    /** The messages this proxy dropped because a ROUTER side refused them, per side and reason. */
    public ProxyDrops dropped() {
        return this.counters.publishedDrops();
    }

    @Override
    public List<String> frontendEndpoints() {
        return this.endpoints.frontend();
    }

    @Override
    public List<String> backendEndpoints() {
        return this.endpoints.backend();
    }

    @Override
    public List<String> controlEndpoints() {
        return this.endpoints.control();
    }

    /** The resolved endpoints the capture socket is bound to (empty without one). */
    public List<String> captureEndpoints() {
        return this.endpoints.capture();
    }

    // SmartLifecycle

    /** Terminates at once (the destroy method, and a plain stop). */
    @Override
    public void stop() {
        terminateRun();
    }

    /** The context's stop: a router-dealer proxy drains first, then terminates; {@code callback} runs at its end. */
    @Override
    public void stop(Runnable callback) {
        ProxyLoop current = this.run;
        if (current == null || !isRunning() || !this.definition.drains() || current.isOwnThread()) {
            stop();
            callback.run();
            return;
        }
        current.drain(this.definition.drainTimeout()).whenComplete((ended, failure) -> callback.run());
    }

    @Override
    public boolean isRunning() {
        State current = this.state;
        return current == State.STARTING || current == State.RUNNING || current == State.PAUSED;
    }

    @Override
    public boolean isAutoStartup() {
        return this.definition.autoStartup();
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /**
     * Test seam: runs {@code hook} on the proxy's thread at the start of every round of the next runs, so a test can
     * make the forwarding loop fail as an unexpected error would.
     */
    void roundHook(Runnable hook) {
        this.roundHook = hook;
    }

    private void steer(ControlProtocol.Command command) {
        ProxyLoop current = this.run;
        if (current == null || !isRunning()) {
            throw new IllegalStateException("Proxy '" + name() + "' is " + this.state + ", not running");
        }
        try {
            current.steer(command).get(STEERING_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (ExecutionException ex) {
            throw ex.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(ex.getCause());
        }
        catch (TimeoutException ex) {
            throw new ZmqException(ZmqError.EAGAIN, "proxy '" + name() + "' did not apply " + command + " within "
                    + STEERING_TIMEOUT.toSeconds() + " s");
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while steering proxy '" + name() + "'", ex);
        }
    }

    @Override
    public String toString() {
        return "ZmqProxy '" + name() + "' (" + type() + ", " + this.state + ")";
    }

    /** Receives the run's reports on the run's thread. */
    private final class RunObserver implements ProxyLoop.Observer {

        @Override
        public void running(ProxyEndpoints bound) {
            DefaultZmqProxy.this.endpoints = bound;
            DefaultZmqProxy.this.state = State.RUNNING;
            logger.info("Proxy '" + name() + "' (" + type() + ") is running: frontend " + bound.frontend()
                    + ", backend " + bound.backend());
        }

        @Override
        public void paused(boolean paused) {
            DefaultZmqProxy.this.state = paused ? State.PAUSED : State.RUNNING;
        }

        @Override
        public void controlled(ControlProtocol.Command command, boolean obeyed, String peerAddress) {
            DefaultZmqProxy.this.audit.record(new ZmqSteeringEvent(Target.PROXY, name(), command.name(),
                    obeyed ? Outcome.APPLIED : Outcome.REFUSED,
                    peerAddress != null ? "control-socket " + peerAddress : "control-socket", null));
        }

        @Override
        public void ended(Throwable cause) {
            DefaultZmqProxy.this.endpoints = ProxyEndpoints.NONE;
            if (cause != null) {
                logger.error("Proxy '" + name() + "' failed; its sockets are closed", cause);
                DefaultZmqProxy.this.failure = cause;
                DefaultZmqProxy.this.state = State.FAILED;
            }
            else {
                logger.info("Proxy '" + name() + "' terminated");
                DefaultZmqProxy.this.state = State.TERMINATED;
            }
        }
    }
}
