package io.github.zmqboot.generic;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.Supplier;

import io.github.zmqboot.convert.ZmqPayloadConverter;
import io.github.zmqboot.core.ZmqError;
import io.github.zmqboot.core.ZmqException;
import io.github.zmqboot.socket.Endpoints;
import io.github.zmqboot.socket.InboundMessage;
import io.github.zmqboot.socket.InboundReader;
import io.github.zmqboot.socket.ManagedSocket;
import io.github.zmqboot.socket.SocketTraffic;
import io.github.zmqboot.socket.SocketOptions;
import io.github.zmqboot.socket.ZmqSocketFactory;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;
import org.zeromq.ZMsg;
import zmq.Msg;
import zmq.SocketBase;

/**
 * A {@link io.github.zmqboot.core.ZmqSocket} over a socket type the engine does not make thread-safe (PUSH, PULL,
 * PUB, SUB, REQ, REP, DEALER, ROUTER, PAIR, XPUB, XSUB, STREAM): one {@link SocketOwnerThread} creates, configures,
 * binds, connects, uses and closes the engine socket; every call from another thread is handed to it and the caller
 * waits for the outcome (errors included). A call made on the owner thread itself (a listener's handler replying)
 * runs inline.
 * <p>
 * The owner thread never blocks in the engine. Sends are non-blocking; one that meets a full queue waits, in call
 * order, for {@code POLLOUT} until the socket's send timeout, then its caller gets {@code EAGAIN}. Receives wait as
 * requests answered on {@code POLLIN} in call order, or null at their deadline. A claimed reader
 * ({@link #startReading(InboundReader)}) gets every message on the owner thread, multipart messages whole. Request
 * exchanges ({@code convertSendAndReceive}) run one at a time; one that times out after its request left replaces
 * a REQ or DEALER socket by a fresh one with the same options and endpoints (the "lazy pirate" pattern).
 * <p>
 * Every engine call (and the owner thread's wait on the socket) runs inside the {@link ManagedSocket}'s gate, so that if the owner
 * thread is ever stuck in a listener's handler at shutdown, the socket can still be closed safely from another
 * thread.
 */
public class OwnedZmqSocket extends AbstractZmqSocket implements SocketOwnerThread.Handler {

    private static final Log logger = LogFactory.getLog(OwnedZmqSocket.class);

    /** Most messages handed to a reader per round, so that handed-over calls are not starved. */
    private static final int READ_BATCH = 256;

    /** How long a close waits for the owner thread before closing from the calling thread. */
    private static final long CLOSE_WAIT_MILLIS = 5_000;

    /** A caller's own safety margin beyond its deadline, should the owner thread be busy in a handler. */
    private static final long CALLER_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    /** How long {@code stopReading} waits for a reader busy with a message (as {@code ConcurrentReadLoop}). */
    private static final long STOP_READING_WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** How long a replaced socket retries binding an endpoint its predecessor still holds. */
    private static final long REBIND_WAIT_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final ZmqSocketFactory factory;

    private final SocketOptions options;

    private final SocketOwnerThread owner;

    private final OutboundQueue outbound = new OutboundQueue();

    private final ReceiveRequests receivers = new ReceiveRequests();

    private final Exchanges exchanges = new Exchanges(new ExchangeChannel());

    /** Endpoints connected (as given), for a replacement; owner thread only. */
    private final List<String> connected = new ArrayList<>();

    /** The SUB subscriptions (each call to subscribe adds one, as the engine counts them), for listeners' TOPIC. */
    private final List<String> subscriptions = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final List<String> subscriptionsView = java.util.Collections.unmodifiableList(this.subscriptions);

    private volatile ManagedSocket socket;

    /** Counted here, not on the engine socket, so counts survive a REQ/DEALER replacement. */
    private final SocketTraffic traffic = new SocketTraffic();

    private volatile ZmqError requestedClose;

    private volatile Duration sendTimeout = Duration.ofMillis(-1);

    /** The listener's reader while reading; set on the owner thread, read by {@link #isReading()} from any. */
    private volatile InboundReader reader;

    /** Whether this socket closed; owner thread only. */
    private boolean closed;

    /** The gate stamp held while the owner thread checks and waits on the socket. */
    private long waitStamp;

    private OwnedZmqSocket(ZmqSocketFactory factory, String name, SocketType type, SocketOptions options,
            ZmqPayloadConverter payloadConverter) {
        super(name, type, payloadConverter);
        this.factory = factory;
        this.options = options;
        this.owner = new SocketOwnerThread("zmq-" + name + "-owner");
    }

    /**
     * Starts the owner thread and creates the engine socket on it through the factory.
     *
     * @throws io.github.zmqboot.socket.InvalidSocketOptionException when an option is invalid
     * @throws ZmqException when the engine refuses the socket (e.g. {@code ETERM})
     */
    public static OwnedZmqSocket create(ZmqSocketFactory factory, String name, SocketType type,
            SocketOptions options, ZmqPayloadConverter payloadConverter) {
        if (SocketKinds.isThreadSafe(type)) {
            throw new IllegalArgumentException(type + " is thread-safe in the engine: use ThreadSafeZmqSocket");
        }
        OwnedZmqSocket zmqSocket = new OwnedZmqSocket(factory, name, type, options, payloadConverter);
        zmqSocket.owner.start(zmqSocket);
        try {
            zmqSocket.owner.call(() -> {
                zmqSocket.open();
                return null;
            }, () -> new ZmqException(ZmqError.ETERM, "socket '" + name + "': its owner thread ended"));
        }
        catch (RuntimeException ex) {
            zmqSocket.owner.requestStop();
            zmqSocket.owner.awaitEnd(CLOSE_WAIT_MILLIS);
            throw ex;
        }
        return zmqSocket;
    }

    @Override
    public SocketTraffic traffic() {
        return this.traffic;
    }

    /** The current engine socket (replaced after a REQ or DEALER exchange timed out). */
    public ManagedSocket managedSocket() {
        return this.socket;
    }

    /** Owner thread: creates the engine socket. */
    private void open() {
        ManagedSocket created = this.factory.createSocket(name(), type(), this.options);
        created.setCloseDelegate(this::closeForTermination);
        this.sendTimeout = created.options().sendTimeout();
        this.socket = created;
    }

    // ---- the public API: validated on the caller's thread, carried out on the owner thread

    @Override
    public String bind(String endpoint) {
        Endpoints.validate(endpoint, type(), false);
        return onOwner(managed -> {
            String resolved = managed.bind(endpoint);
            addBoundEndpoint(resolved);
            return resolved;
        });
    }

    @Override
    public void connect(String endpoint) {
        Endpoints.validate(endpoint, type(), true);
        onOwner(managed -> {
            EngineCalls.connect(managed, endpoint);
            this.connected.add(endpoint);
            return null;
        });
    }

    @Override
    public void subscribe(String topic) {
        requireSubscriber();
        onOwner(managed -> {
            EngineCalls.subscription(managed, zmq.ZMQ.ZMQ_SUBSCRIBE, topic);
            this.subscriptions.add(topic);
            return null;
        });
    }

    @Override
    public void unsubscribe(String topic) {
        requireSubscriber();
        onOwner(managed -> {
            EngineCalls.subscription(managed, zmq.ZMQ.ZMQ_UNSUBSCRIBE, topic);
            this.subscriptions.remove(topic);
            return null;
        });
    }

    @Override
    public List<String> subscriptions() {
        return this.subscriptionsView;
    }

    @Override
    public void join(String group) {
        requireDish();
    }

    @Override
    public void leave(String group) {
        requireDish();
    }

    @Override
    protected void sendPayload(byte[] payload) {
        sendFrames(new byte[][] { payload });
    }

    @Override
    protected void sendMessage(ZMsg message) {
        sendFrames(Frames.of(message));
    }

    @Override
    public void reply(int routingId, byte[][] frames) {
        sendFrames(frames);
    }

    private void sendFrames(byte[][] frames) {
        requireCanSend();
        requireFrames(frames);
        long deadline = deadline(this.sendTimeout);
        PendingOutcome<Void> outcome = new PendingOutcome<>();
        handOver(() -> submitSend(frames, deadline, outcome), outcome, deadline, () -> {
            throw sendTimedOut();
        });
    }

    @Override
    public ZMsg receive(Duration timeout) {
        requireNotClaimed("receive()");
        requireCanReceive();
        long deadline = deadline(timeout);
        PendingOutcome<ZMsg> outcome = new PendingOutcome<>();
        return handOver(() -> submitReceive(deadline, outcome), outcome, deadline, () -> null);
    }

    @Override
    protected byte[][] exchange(byte[][] frames, long deadline) {
        PendingOutcome<byte[][]> outcome = new PendingOutcome<>();
        return handOver(() -> submitExchange(frames, deadline, outcome), outcome, deadline, () -> null);
    }

    @Override
    public void startReading(InboundReader newReader) {
        requireClaimed();
        requireCanReceive();
        onOwner(managed -> {
            if (this.reader != null) {
                throw new IllegalStateException("Socket '" + name() + "' is already being read");
            }
            this.reader = newReader;
            return null;
        });
    }

    @Override
    public boolean isReading() {
        ManagedSocket managed = this.socket;
        return this.reader != null && managed != null && !managed.isClosed()
                && !this.owner.hasEnded();
    }

    @Override
    public void stopReading() {
        if (this.owner.isOwnerThread()) {
            this.reader = null; // called by the reader itself: it is not called again
            return;
        }
        // a task: when it ran, the owner thread is out of the reader and will not call it again. Not abandoned on
        // an interrupt: a stop that did not happen must not look as if it had.
        CountDownLatch stopped = new CountDownLatch(1);
        if (!this.owner.execute(() -> {
            this.reader = null;
            stopped.countDown();
        })) {
            return; // the loop ended: nothing reads any more
        }
        long giveUp = System.nanoTime() + STOP_READING_WAIT_NANOS;
        boolean interrupted = false;
        boolean done = false;
        while (!done) {
            try {
                done = stopped.await(giveUp - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (!done) {
                    logger.warn("Reader of socket '" + name() + "' still busy with a message after "
                            + TimeUnit.NANOSECONDS.toSeconds(STOP_READING_WAIT_NANOS) + " s; it stops after it");
                    break;
                }
            }
            catch (InterruptedException ex) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (this.owner.isOwnerThread()) {
            closeOnOwner(ZmqError.ENOTSOCK);
            this.owner.requestStop();
            return;
        }
        requestClose(ZmqError.ENOTSOCK);
    }

    /** The context is terminating: close on the owner thread, reporting {@code ETERM} from now on. */
    private void closeForTermination() {
        if (this.owner.isOwnerThread()) {
            closeOnOwner(ZmqError.ETERM);
            this.owner.requestStop();
            return;
        }
        requestClose(ZmqError.ETERM);
    }

    private void requestClose(ZmqError reason) {
        synchronized (this) {
            if (this.requestedClose == null) {
                this.requestedClose = reason;
            }
        }
        this.owner.requestStop();
        if (!this.owner.awaitEnd(CLOSE_WAIT_MILLIS)) {
            ManagedSocket current = this.socket;
            logger.warn("Owner thread of socket '" + name() + "' is still busy (a listener's handler?) after "
                    + CLOSE_WAIT_MILLIS + " ms; closing the socket from " + Thread.currentThread().getName());
            if (current != null) {
                current.close(reason); // safe: the owner thread makes every engine call inside the socket's gate
            }
        }
    }

    // ---- hand-over

    /** Runs {@code action} on the owner thread with the open socket, inside its gate. */
    private <T> T onOwner(Function<ManagedSocket, T> action) {
        return this.owner.call(() -> {
            ManagedSocket managed = this.socket;
            if (this.closed || managed == null) {
                throw closedError();
            }
            long stamp = managed.enter();
            try {
                return action.apply(managed);
            }
            finally {
                managed.exit(stamp);
            }
        }, this::closedError);
    }

    /**
     * Submits an asynchronous request to the owner thread and waits for its outcome; on the owner thread, submits it
     * inline and serves the socket (no other task) until it is settled.
     */
    private <T> T handOver(Runnable submit, PendingOutcome<T> outcome, long deadline, Supplier<T> onDeadline) {
        if (this.owner.isOwnerThread()) {
            submit.run();
            if (!outcome.isSettled() && !this.owner.awaitNested(outcome::isSettled)) {
                outcome.tryFail(closedError());
            }
            return outcome.await(Long.MAX_VALUE, onDeadline);
        }
        if (!this.owner.execute(submit)) {
            throw closedError();
        }
        long callerDeadline = deadline == Long.MAX_VALUE ? deadline : deadline + CALLER_GRACE_NANOS;
        return outcome.await(callerDeadline, onDeadline);
    }

    private void submitSend(byte[][] frames, long deadline, PendingOutcome<Void> outcome) {
        if (this.closed) {
            outcome.tryFail(closedError());
            return;
        }
        this.outbound.add(OutboundQueue.forCaller(frames, deadline, outcome));
        flush();
    }

    private void submitReceive(long deadline, PendingOutcome<ZMsg> outcome) {
        if (this.closed) {
            outcome.tryFail(closedError());
            return;
        }
        if (isClaimed()) {
            outcome.tryFail(new IllegalStateException("Socket '" + name() + "' is read by a listener; receive() "
                    + "is not available while a listener owns the socket"));
            return;
        }
        this.receivers.add(deadline, outcome);
        if (!this.exchanges.awaitingReply()) {
            while (this.receivers.deliverOne(this::receiveMessage)) {
                // hand every message already queued to the callers waiting for one
            }
        }
    }

    private void submitExchange(byte[][] frames, long deadline, PendingOutcome<byte[][]> outcome) {
        if (this.closed) {
            outcome.tryFail(closedError());
            return;
        }
        this.exchanges.submit(frames, deadline, outcome);
        flush();
    }

    // ---- the owner thread's loop

    @Override
    public ZMQ.Socket socket() {
        ManagedSocket current = this.socket;
        return this.closed || current == null ? null : current.socket();
    }

    @Override
    public int interest(boolean nested) {
        int events = 0;
        if (!this.outbound.isEmpty()) {
            events |= zmq.ZMQ.ZMQ_POLLOUT;
        }
        if (this.exchanges.awaitingReply() || !this.receivers.isEmpty() || (!nested && this.reader != null)) {
            events |= zmq.ZMQ.ZMQ_POLLIN;
        }
        return events;
    }

    @Override
    public boolean enterWait() {
        try {
            this.waitStamp = this.socket.enter();
            return true;
        }
        catch (ZmqException closedMeanwhile) {
            return false;
        }
    }

    @Override
    public void exitWait() {
        this.socket.exit(this.waitStamp);
    }

    @Override
    public long nextDeadline() {
        return Math.min(this.outbound.nextDeadline(),
                Math.min(this.receivers.nextDeadline(), this.exchanges.nextDeadline()));
    }

    @Override
    public void onRound(int readyEvents, long now, boolean nested) {
        if (this.closed) {
            return;
        }
        if ((readyEvents & zmq.ZMQ.ZMQ_POLLIN) != 0) {
            deliverInbound(nested);
        }
        this.outbound.expire(now, this::sendTimedOut);
        this.receivers.expire(now);
        this.exchanges.expire(now);
        flush();
    }

    @Override
    public void onStopped() {
        ZmqError reason = this.requestedClose;
        closeOnOwner(reason != null ? reason : ZmqError.ENOTSOCK);
    }

    private void flush() {
        if (!this.closed && !this.outbound.isEmpty()) {
            this.outbound.flush(this::trySend);
        }
    }

    /** Takes messages off the socket for whoever waits: the head exchange, else the reader, else receive calls. */
    private void deliverInbound(boolean nested) {
        for (int i = 0; i < READ_BATCH && !this.closed && !this.owner.isStopRequested(); i++) {
            if (this.exchanges.awaitingReply()) {
                byte[][] reply = receiveMessage();
                if (reply == null) {
                    return;
                }
                this.exchanges.replied(reply);
            }
            else if (!nested && this.reader != null) {
                byte[][] frames = receiveForReader();
                if (frames == null) {
                    return;
                }
                deliverToReader(this.reader, frames);
            }
            else if (!this.receivers.deliverOne(this::receiveMessage)) {
                return;
            }
        }
    }

    private void deliverToReader(InboundReader current, byte[][] frames) {
        try {
            current.taken();
            current.onMessage(new InboundMessage(0, frames));
        }
        catch (RuntimeException ex) {
            logger.error("Reader of socket '" + name() + "' failed; reading goes on", ex);
        }
        Thread.interrupted(); // a handler's interrupt must not turn the next engine call into EINTR
    }

    /** The next message for the reader; null when none is queued or the type's state forbids a receive now. */
    private byte[][] receiveForReader() {
        try {
            return receiveMessage();
        }
        catch (ZmqException ex) {
            if (ex.error() == ZmqError.EFSM) {
                return null; // a REP whose reader has not replied yet: the next message waits for the reply
            }
            throw ex;
        }
    }

    /** Sends one message without blocking: false when the socket cannot take it now. */
    private boolean trySend(byte[][] frames) {
        ManagedSocket managed = this.socket;
        long stamp = managed.enter();
        try {
            SocketBase base = managed.base();
            int last = frames.length - 1;
            for (int i = 0; i <= last; i++) {
                int flags = zmq.ZMQ.ZMQ_DONTWAIT | (i < last ? zmq.ZMQ.ZMQ_SNDMORE : 0);
                if (!base.send(new Msg(frames[i]), flags, managed.cancellation())) {
                    if (i == 0 && base.errno() == ZmqError.EAGAIN.errno()) {
                        return false;
                    }
                    throw managed.lastError("send");
                }
            }
            this.traffic.sent(SocketTraffic.size(frames));
            return true;
        }
        finally {
            managed.exit(stamp);
        }
    }

    /** Takes one whole message off the socket without blocking; null when none is queued. */
    private byte[][] receiveMessage() {
        ManagedSocket managed = this.socket;
        long stamp = managed.enter();
        try {
            SocketBase base = managed.base();
            Msg first = base.recv(zmq.ZMQ.ZMQ_DONTWAIT, managed.cancellation());
            if (first == null) {
                if (base.errno() == ZmqError.EAGAIN.errno()) {
                    return null;
                }
                throw managed.lastError("receive");
            }
            if (!first.hasMore()) {
                this.traffic.received(first.size());
                return new byte[][] { first.data() };
            }
            List<byte[]> frames = new ArrayList<>(4);
            frames.add(first.data());
            Msg part = first;
            while (part.hasMore()) {
                // the engine queues a multipart message whole: its other frames are there already
                part = base.recv(zmq.ZMQ.ZMQ_DONTWAIT, managed.cancellation());
                if (part == null) {
                    throw managed.lastError("receive of a multipart message");
                }
                frames.add(part.data());
            }
            byte[][] message = frames.toArray(byte[][]::new);
            this.traffic.received(SocketTraffic.size(message));
            return message;
        }
        finally {
            managed.exit(stamp);
        }
    }

    /** Owner thread: closes the engine socket and answers everyone still waiting. */
    private void closeOnOwner(ZmqError reason) {
        if (this.closed) {
            return;
        }
        this.closed = true;
        this.reader = null;
        ManagedSocket current = this.socket;
        if (current != null) {
            current.close(reason);
        }
        RuntimeException error = closedError();
        this.outbound.failAll(error);
        this.receivers.failAll(error);
        this.exchanges.failAll(error);
    }

    /**
     * Owner thread: replaces a REQ or DEALER whose exchange was abandoned after its request left, so that the late
     * reply dies with the old socket. The new one has the same options, binds the same (resolved) endpoints and
     * connects the same ones.
     */
    private void replaceSocket() {
        ManagedSocket old = this.socket;
        List<String> bound = boundEndpoints();
        long stamp = old.enter();
        try {
            bound.forEach(old::unbind);
        }
        finally {
            old.exit(stamp);
        }
        old.close(ZmqError.ENOTSOCK);
        ManagedSocket fresh;
        try {
            fresh = this.factory.createSocket(name(), type(), this.options);
        }
        catch (RuntimeException ex) {
            logger.error("Cannot replace socket '" + name() + "' after a timed-out request; it is closed", ex);
            closeOnOwner(ZmqError.ETERM);
            this.owner.requestStop();
            return;
        }
        fresh.setCloseDelegate(this::closeForTermination);
        this.socket = fresh;
        stamp = fresh.enter();
        try {
            bound.forEach(endpoint -> rebind(fresh, endpoint));
            for (String endpoint : this.connected) {
                try {
                    EngineCalls.connect(fresh, endpoint);
                }
                catch (ZmqException ex) {
                    logger.error("Replacement of socket '" + name() + "' cannot connect to " + endpoint, ex);
                }
            }
        }
        finally {
            fresh.exit(stamp);
        }
        if (logger.isDebugEnabled()) {
            logger.debug("Replaced " + type() + " socket '" + name() + "' after a request timed out");
        }
    }

    /** Binds an endpoint the replaced socket held; its listener closes in the background, so retry briefly. */
    private void rebind(ManagedSocket fresh, String endpoint) {
        long giveUp = System.nanoTime() + REBIND_WAIT_NANOS;
        while (true) {
            try {
                fresh.bind(endpoint);
                return;
            }
            catch (ZmqException ex) {
                if (ex.error() != ZmqError.EADDRINUSE || System.nanoTime() - giveUp >= 0) {
                    logger.error("Replacement of socket '" + name() + "' cannot bind " + endpoint, ex);
                    return;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
        }
    }

    private RuntimeException closedError() {
        ManagedSocket current = this.socket;
        if (current != null) {
            return current.closedException();
        }
        return new ZmqException(ZmqError.ENOTSOCK, "socket '" + name() + "' is closed");
    }

    private ZmqException sendTimedOut() {
        return new ZmqException(ZmqError.EAGAIN, name() + ": the message could not be queued within the send "
                + "timeout (" + this.sendTimeout.toMillis() + " ms); the high-water mark is reached or no peer is "
                + "connected");
    }

    /** How request exchanges reach this socket. */
    private final class ExchangeChannel implements Exchanges.Channel {

        @Override
        public void send(OutboundQueue.Outbound request) {
            OwnedZmqSocket.this.outbound.add(request);
        }

        @Override
        public long sendDeadline() {
            return deadline(OwnedZmqSocket.this.sendTimeout);
        }

        @Override
        public void abandonedAfterSend() {
            if (type() == SocketType.REQ || type() == SocketType.DEALER) {
                replaceSocket();
            }
        }
    }
}
