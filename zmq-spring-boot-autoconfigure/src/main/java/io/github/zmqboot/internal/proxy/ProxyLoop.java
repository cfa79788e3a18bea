package io.github.zmqboot.internal.proxy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.github.zmqboot.core.ZmqError;
import io.github.zmqboot.core.ZmqException;
import io.github.zmqboot.core.ZmqThreadFactory;
import io.github.zmqboot.internal.engine.ManagedSocket;
import io.github.zmqboot.internal.engine.ZmqSocketFactory;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import zmq.SocketBase;
import zmq.ZMQ;

/**
 * One run of a proxy on its own thread, from creating its sockets to closing them. The thread owns every socket of
 * the run (JeroMQ's ROUTER, DEALER, XPUB, ... are not thread-safe): it creates, binds and connects them, forwards,
 * obeys steering, and closes them.
 * <p>
 * Each round: apply steering requests and control commands, then let each direction forward a burst (unless paused),
 * then publish the counters. Unless a burst stopped at its cap (more input is waiting), the round ends with a wait
 * over exactly what can unblock the proxy: the steering wakeup, the control socket, and per direction its source's
 * input or the destination's room for a held message; the wait returns at once when one of them is ready already.
 * The wait is sliced (100 ms); every socket's gate is held only within a round. When the context terminates, its
 * manager's close of any of these sockets is routed to this run, which terminates and closes them itself: a
 * termination, not a failure. The thread is never interrupted.
 */
final class ProxyLoop {

    /** Whole messages a direction moves per round at most. */
    static final int BURST = 1000;

    private static final Log logger = LogFactory.getLog(ProxyLoop.class);

    private static final long WAIT_SLICE_MILLIS = 100;

    private static final long RETRY_MILLIS = 1;

    private static final Duration CONTEXT_TERMINATION_WAIT = Duration.ofSeconds(10);

    private final ProxyDefinition definition;

    private final ZmqSocketFactory socketFactory;

    private final TrafficCounters counters;

    private final Observer observer;

    private final Runnable roundHook;

    private final Thread thread;

    private final CompletableFuture<SteeringChannel> opened = new CompletableFuture<>();

    private final List<CompletableFuture<Void>> terminateRequests = new ArrayList<>();

    private ProxySockets sockets;

    private SteeringChannel steering;

    private ControlChannel control;

    private MessagePump[] pumps;

    private ManagedSocket[] gated;

    private boolean paused;

    private boolean terminating;

    /** The drain's timeout in nanoseconds, once asked for (from any thread); -1 while not. */
    private volatile long drainTimeoutNanos = -1;

    /** The drain on stop, when this run can drain (a router-dealer run); else null. */
    private ProxyDrain drain;

    private boolean draining;

    private final CompletableFuture<Void> ended = new CompletableFuture<>();

    private ProxyLoop(ProxyDefinition definition, ZmqSocketFactory socketFactory, TrafficCounters counters,
            Observer observer, Runnable roundHook) {
        this.definition = definition;
        this.socketFactory = socketFactory;
        this.counters = counters;
        this.observer = observer;
        this.roundHook = roundHook;
        // the default makes it no daemon: a running proxy keeps the application alive, as a broker should
        this.thread = socketFactory.contextManager().threads().newThread(ZmqThreadFactory.Role.PROXY,
                "zmq-proxy-" + definition.name(), this::run);
    }

    /**
     * Starts a run and waits until its sockets are bound and connected.
     *
     * @param roundHook runs at the start of every round (a test seam), or null
     * @return the running loop, already {@code RUNNING} for {@code observer}
     * @throws ProxySetupException (or another exception) when the sockets could not be set up; nothing stays open
     */
    static ProxyLoop start(ProxyDefinition definition, ZmqSocketFactory socketFactory, TrafficCounters counters,
            Observer observer, Runnable roundHook, Duration setupTimeout) {
        ProxyLoop loop = new ProxyLoop(definition, socketFactory, counters, observer, roundHook);
        loop.thread.start();
        try {
            loop.opened.get(setupTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return loop;
        }
        catch (ExecutionException ex) {
            loop.awaitEnd(setupTimeout);
            throw ex.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(ex.getCause());
        }
        catch (TimeoutException ex) {
            loop.abandon();
            throw new IllegalStateException("Proxy '" + definition.name() + "' did not set up its sockets within "
                    + setupTimeout.toSeconds() + " s", ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            loop.abandon();
            throw new IllegalStateException("Interrupted while proxy '" + definition.name() + "' was starting", ex);
        }
    }

    /** The starter gave up waiting: should the sockets still come up, the run ends at once. */
    private void abandon() {
        this.opened.thenAccept(channel -> channel.submit(ControlProtocol.Command.TERMINATE));
    }

    /** Asks the run to apply {@code command}; from any thread. */
    CompletableFuture<Void> steer(ControlProtocol.Command command) {
        return this.opened.join().submit(command);
    }

    /**
     * Begins a graceful drain (a router-dealer proxy on the application's stop): the run stops reading requests from
     * the frontend and goes on forwarding replies until as many replies as it forwarded requests went back, or
     * {@code timeout} passed; then it terminates. A run that cannot drain (no request direction) terminates at once.
     *
     * @return completes when the run has ended
     */
    CompletableFuture<Void> drain(Duration timeout) {
        this.drainTimeoutNanos = timeout.toNanos();
        this.opened.join().wake();
        return this.ended;
    }

    /**
     * Waits at most {@code timeout} for the run's thread to end (its sockets closed and their ports released).
     *
     * @return whether it ended
     */
    boolean awaitEnd(Duration timeout) {
        if (Thread.currentThread() == this.thread) {
            return false;
        }
        try {
            this.thread.join(timeout.toMillis());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        return !this.thread.isAlive();
    }

    /** Whether the caller is this run's own thread. */
    boolean isOwnThread() {
        return Thread.currentThread() == this.thread;
    }

    private void run() {
        try {
            this.sockets = ProxySockets.open(this.definition, this.socketFactory);
            this.steering = SteeringChannel.open(this.socketFactory, this.definition.name());
            prepare();
        }
        catch (Throwable ex) {
            if (this.steering != null) {
                this.steering.close();
            }
            if (this.sockets != null) {
                this.sockets.close();
            }
            this.opened.completeExceptionally(ex);
            this.ended.complete(null);
            return;
        }
        this.observer.running(this.sockets.endpoints());
        this.opened.complete(this.steering);
        Throwable failure = null;
        try {
            forward();
        }
        catch (Throwable ex) {
            if (this.sockets.closedUnderneath()) {
                logger.debug("Proxy '" + this.definition.name() + "' stops: its sockets were closed under it", ex);
            }
            else {
                failure = ex;
            }
        }
        finally {
            this.counters.publish();
            failure = closeQuietly(this.steering::close, failure);
            failure = closeQuietly(this.sockets::close, failure);
            this.observer.ended(failure);
            this.terminateRequests.forEach(request -> request.complete(null));
            this.ended.complete(null);
        }
    }

    /** Runs a closing step; a failure of it becomes the run's failure unless there is one already. */
    private Throwable closeQuietly(Runnable step, Throwable failure) {
        try {
            step.run();
            return failure;
        }
        catch (RuntimeException ex) {
            if (failure != null) {
                failure.addSuppressed(ex);
                return failure;
            }
            return ex;
        }
    }

    private void prepare() {
        ManagedSocket frontend = this.sockets.get(ProxyRole.FRONTEND);
        ManagedSocket backend = this.sockets.get(ProxyRole.BACKEND);
        ManagedSocket captureSocket = this.sockets.get(ProxyRole.CAPTURE);
        CaptureTap capture = captureSocket != null ? new CaptureTap(captureSocket) : null;
        List<MessagePump> directions = new ArrayList<>();
        String name = "'" + this.definition.name() + "' ";
        if (ProxyDefinition.forwards(frontend.type(), backend.type())) {
            directions.add(new MessagePump(name + "frontend->backend", frontend, this.counters.frontend, backend,
                    this.counters.backend, capture));
        }
        if (ProxyDefinition.forwards(backend.type(), frontend.type())) {
            directions.add(new MessagePump(name + "backend->frontend", backend, this.counters.backend, frontend,
                    this.counters.frontend, capture));
        }
        if (this.definition.drains() && directions.size() == 2) {
            this.drain = new ProxyDrain(this.definition.name(), directions.get(0), directions.get(1));
        }
        this.pumps = directions.toArray(MessagePump[]::new);
        ManagedSocket controlSocket = this.sockets.get(ProxyRole.CONTROL);
        this.control = controlSocket != null ? new ControlChannel(this.definition.name(), controlSocket,
                this.definition.obeyedControlCommands()) : null;
        List<ManagedSocket> all = new ArrayList<>(this.sockets.all());
        all.add(this.steering.receiver());
        this.gated = all.toArray(ManagedSocket[]::new);
        // the context manager closes sockets at shutdown from its own thread: this run closes its own instead
        for (ManagedSocket socket : this.gated) {
            socket.setCloseDelegate(() -> closeForTermination(socket));
        }
    }

    /** The context terminates: ends this run (which closes every socket of it) and waits, bounded, for its end. */
    private void closeForTermination(ManagedSocket socket) {
        if (!isOwnThread()) {
            this.steering.submit(ControlProtocol.Command.TERMINATE);
            if (!awaitEnd(CONTEXT_TERMINATION_WAIT)) {
                logger.warn("Proxy '" + this.definition.name() + "' did not end within "
                        + CONTEXT_TERMINATION_WAIT.toSeconds() + " s of the context's termination; closing its sockets");
            }
        }
        socket.close(ZmqError.ETERM);
    }

    private void forward() throws IOException {
        List<SocketBase> polled = new ArrayList<>();
        for (ManagedSocket socket : this.gated) {
            polled.add(socket.base());
        }
        try (ProxyPoller poller = new ProxyPoller(polled)) {
            long[] stamps = new long[this.gated.length];
            while (!this.terminating) {
                enterAll(stamps);
                try {
                    round(poller);
                }
                finally {
                    exitAll(stamps);
                }
            }
        }
    }

    private void round(ProxyPoller poller) throws IOException {
        if (this.roundHook != null) {
            this.roundHook.run();
        }
        boolean steered = applySteering();
        steered |= applyControl();
        if (!this.draining && this.drainTimeoutNanos >= 0 && !this.terminating) {
            beginDrain();
        }
        if (this.terminating) {
            return;
        }
        int moved = 0;
        boolean more = false;
        if (this.draining) {
            // new requests stay in the frontend; the request in hand is finished; replies go back, paused or not
            moved += this.drain.pump(BURST);
            more = this.drain.burstFull();
            if (this.drain.finished()) {
                this.terminating = true;
                return;
            }
        }
        else if (!this.paused) {
            for (MessagePump pump : this.pumps) {
                moved += pump.pump(BURST);
                more |= pump.burstFull();
            }
        }
        if (moved > 0) {
            this.counters.publish();
        }
        if (moved > 0 || steered) {
            poller.progressed();
        }
        // a burst that stopped short drained its source: the wait returns at once if anything came since
        if (!more && !steered) {
            await(poller);
        }
    }

    private void beginDrain() {
        if (this.drain == null || !this.drain.begin(this.drainTimeoutNanos)) {
            this.terminating = true; // nothing owed: terminate as any proxy does
            return;
        }
        this.draining = true;
    }

    private boolean applySteering() {
        if (!this.steering.hasRequests()) {
            return false;
        }
        for (SteeringChannel.Request request : this.steering.take()) {
            if (request.command() == ControlProtocol.Command.TERMINATE) {
                this.terminating = true;
                this.terminateRequests.add(request.done());
            }
            else {
                apply(request.command());
                request.done().complete(null);
            }
        }
        return true;
    }

    private boolean applyControl() {
        if (this.control == null) {
            return false;
        }
        boolean any = false;
        ControlChannel.Incoming incoming;
        while (!this.terminating && (incoming = this.control.receive()) != null) {
            any = true;
            if (incoming.obeyed()) {
                apply(incoming.command());
            }
            this.control.answer(incoming, this.counters.current());
            // a STATISTICS query changes nothing: only steering and refused commands are reported
            if (incoming.command() != null
                    && (!incoming.obeyed() || incoming.command() != ControlProtocol.Command.STATISTICS)) {
                this.observer.controlled(incoming.command(), incoming.obeyed(), incoming.peerAddress());
            }
        }
        return any;
    }

    private void apply(ControlProtocol.Command command) {
        switch (command) {
            case PAUSE -> setPaused(true);
            case RESUME -> setPaused(false);
            case TERMINATE -> this.terminating = true;
            case STATISTICS -> {
                // answered by the control channel; the state does not change
            }
        }
    }

    private void setPaused(boolean paused) {
        if (this.paused != paused) {
            this.paused = paused;
            this.observer.paused(paused);
        }
    }

    /** Waits until something can move, steering arrives, or the slice ends. */
    private void await(ProxyPoller poller) throws IOException {
        poller.clear();
        poller.want(this.steering.receiver().base(), ZMQ.ZMQ_POLLIN);
        if (this.control != null) {
            poller.want(this.control.socket().base(), ZMQ.ZMQ_POLLIN);
        }
        boolean retry = false;
        if (this.draining) {
            retry = this.drain.wantEvents(poller);
        }
        else if (!this.paused) {
            for (MessagePump pump : this.pumps) {
                pump.wantEvents(poller);
                retry |= pump.needsRetryTimer();
            }
        }
        if (!poller.await(retry ? RETRY_MILLIS : WAIT_SLICE_MILLIS)) {
            throw new ZmqException(ZmqError.ETERM, "proxy '" + this.definition.name() + "': the context is terminating");
        }
        this.steering.drainWakeups();
    }

    private void enterAll(long[] stamps) {
        for (int i = 0; i < this.gated.length; i++) {
            try {
                stamps[i] = this.gated[i].enter();
            }
            catch (RuntimeException ex) {
                for (int j = 0; j < i; j++) {
                    this.gated[j].exit(stamps[j]);
                }
                throw ex;
            }
        }
    }

    private void exitAll(long[] stamps) {
        for (int i = 0; i < this.gated.length; i++) {
            this.gated[i].exit(stamps[i]);
        }
    }

    /** What a run tells its proxy; called on the run's thread. */
    interface Observer {

        /** The sockets are bound and connected; forwarding begins. */
        void running(ProxyEndpoints endpoints);

        /** Forwarding was paused or resumed (by a steering request or the control socket). */
        void paused(boolean paused);

        /** The run ended and its sockets are closed: terminated ({@code failure} null) or failed. */
        void ended(Throwable failure);

        /**
         * A steering command came over the control socket.
         *
         * @param obeyed whether it was applied (else refused: not among the allowed commands)
         * @param peerAddress the sender's address, or null when the transport has none
         */
        void controlled(ControlProtocol.Command command, boolean obeyed, String peerAddress);
    }
}
