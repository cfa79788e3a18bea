package io.github.zmqboot.internal.socket;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import io.github.zmqboot.convert.ZmqPayloadConverter;
import io.github.zmqboot.core.ZmqError;
import io.github.zmqboot.core.ZmqException;
import io.github.zmqboot.internal.engine.Endpoints;
import io.github.zmqboot.internal.engine.InboundReader;
import io.github.zmqboot.internal.engine.ManagedSocket;
import io.github.zmqboot.internal.engine.ReadLoopSlot;
import io.github.zmqboot.internal.engine.SocketOptions;
import io.github.zmqboot.internal.engine.SocketTraffic;
import io.github.zmqboot.internal.engine.ZmqSocketFactory;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.zeromq.SocketType;
import org.zeromq.ZMsg;

/**
 * A {@link io.github.zmqboot.core.ZmqSocket} over a socket type the engine does not make thread-safe (PUSH, PULL,
 * PUB, SUB, REQ, REP, DEALER, ROUTER, PAIR, XPUB, XSUB, STREAM), used by any thread: each call runs on its caller's
 * thread under the socket's own lock (libzmq's rule: such a socket may move between threads given a full memory
 * barrier), makes only non-blocking engine calls, and waits for queue space or a message with the lock released (see
 * {@link ManagedSocket}). No thread of its own: a listener's reading thread exists only while a listener reads.
 * <p>
 * A send that meets the high-water mark waits up to the socket's send timeout, then fails with {@code EAGAIN}; a
 * dropping type (PUB, XPUB, RADIO) drops there, as in libzmq. Each calling thread's messages keep their order, and
 * the frames of one message are never interleaved with another's. Request exchanges ({@code convertSendAndReceive})
 * and {@code receive} calls of a requesting type run one at a time, in call order; an exchange that times out after
 * its request left replaces a REQ or DEALER socket by a fresh one with the same options and endpoints (the "lazy
 * pirate" pattern), so that the late reply dies with the old socket.
 */
final class LockingZmqSocket extends AbstractZmqSocket {

    private static final Log logger = LogFactory.getLog(LockingZmqSocket.class);

    /** How long a replaced socket retries binding an endpoint its predecessor still holds. */
    private static final long REBIND_WAIT_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final ZmqSocketFactory factory;

    private final SocketOptions options;

    /** Counted across replacements of the engine socket. */
    private final SocketTraffic traffic = new SocketTraffic();

    /** Exchanges (and receives of requesting types) one at a time, in call order. */
    private final ReentrantLock exchangeLock = new ReentrantLock(true);

    /** Endpoints connected (as given), for a replacement. */
    private final List<String> connected = new CopyOnWriteArrayList<>();

    /** The SUB subscriptions (each call to subscribe adds one, as the engine counts them), for listeners' TOPIC. */
    private final List<String> subscriptions = new CopyOnWriteArrayList<>();

    private final List<String> subscriptionsView = Collections.unmodifiableList(this.subscriptions);

    private volatile ManagedSocket socket;

    /** Set by {@link #close()}: a replacement in progress closes what it made. */
    private volatile boolean closed;

    private ReadLoopSlot readLoop;

    private LockingZmqSocket(ZmqSocketFactory factory, String name, SocketType type, SocketOptions options,
            ZmqPayloadConverter payloadConverter) {
        super(name, type, payloadConverter);
        this.factory = factory;
        this.options = options;
    }

    /**
     * Creates the engine socket through the factory.
     *
     * @throws io.github.zmqboot.internal.engine.InvalidSocketOptionException when an option is invalid
     * @throws ZmqException when the engine refuses the socket (e.g. {@code ETERM})
     */
    public static LockingZmqSocket create(ZmqSocketFactory factory, String name, SocketType type,
            SocketOptions options, ZmqPayloadConverter payloadConverter) {
        if (SocketKinds.isThreadSafe(type) || type == SocketType.PEER) {
            throw new IllegalArgumentException(type + " is thread-safe in the engine: use ThreadSafeZmqSocket");
        }
        LockingZmqSocket zmqSocket = new LockingZmqSocket(factory, name, type, options, payloadConverter);
        zmqSocket.socket = factory.createSharedSocket(name, type, options, zmqSocket.traffic);
        return zmqSocket;
    }

    @Override
    public SocketTraffic traffic() {
        return this.traffic;
    }

    /** The current engine socket (replaced after a REQ or DEALER exchange timed out). */
    @Override
    public ManagedSocket managedSocket() {
        return this.socket;
    }

    @Override
    public String bind(String endpoint) {
        Endpoints.validate(endpoint, type(), false);
        ManagedSocket managed = this.socket;
        long stamp = managed.enter();
        try {
            String resolved = managed.bind(endpoint);
            addBoundEndpoint(resolved);
            return resolved;
        }
        finally {
            managed.exit(stamp);
        }
    }

    @Override
    public void connect(String endpoint) {
        Endpoints.validate(endpoint, type(), true);
        ManagedSocket managed = this.socket;
        long stamp = managed.enter();
        try {
            EngineCalls.connect(managed, endpoint);
            this.connected.add(endpoint);
        }
        finally {
            managed.exit(stamp);
        }
    }

    @Override
    public void subscribe(String topic) {
        changeSubscription(zmq.ZMQ.ZMQ_SUBSCRIBE, topic, true);
    }

    @Override
    public void unsubscribe(String topic) {
        changeSubscription(zmq.ZMQ.ZMQ_UNSUBSCRIBE, topic, false);
    }

    /** Subscribes or unsubscribes in the engine and keeps {@link #subscriptions()} in step, under the socket's lock. */
    private void changeSubscription(int option, String topic, boolean subscribed) {
        requireSubscriber();
        ManagedSocket managed = this.socket;
        long stamp = managed.enter();
        try {
            EngineCalls.subscription(managed, option, topic);
            if (subscribed) {
                this.subscriptions.add(topic);
            }
            else {
                this.subscriptions.remove(topic);
            }
        }
        finally {
            managed.exit(stamp);
        }
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
        requireCanSend();
        send(payload, null);
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
        send(null, frames);
    }

    /**
     * Sends one message, {@code payload} (one frame) or else {@code frames}, on the current socket: a call that failed
     * only because an exchange replaced the socket meanwhile goes to the new one. Two parameters rather than a frames
     * array for both, so that a one-frame send allocates nothing but its engine message.
     */
    private void send(byte[] payload, byte[][] frames) {
        while (true) {
            ManagedSocket managed = this.socket;
            try {
                long stamp = managed.enter();
                try {
                    if (frames == null) {
                        managed.sendWithoutBlocking(new zmq.Msg(payload), "send");
                    }
                    else {
                        managed.sendWithoutBlocking(frames, "send");
                    }
                    return;
                }
                finally {
                    managed.exit(stamp);
                }
            }
            catch (ZmqException ex) {
                if (!replacedMeanwhile(managed)) {
                    throw ex;
                }
            }
        }
    }

    /** Whether a call failed only because an exchange replaced the socket under it: then it goes to the new one. */
    private boolean replacedMeanwhile(ManagedSocket used) {
        return !this.closed && this.socket != used;
    }

    @Override
    public ZMsg receive(Duration timeout) {
        requireNotClaimed("receive()");
        requireCanReceive();
        long deadline = deadline(timeout);
        if (!SocketKinds.canRequest(type())) {
            byte[][] frames = receiveUntil(deadline);
            return frames == null ? null : Frames.toMessage(frames);
        }
        // a requesting type: a reply belongs to the exchange waiting for it, so receives take turns with exchanges
        if (!lockExchange(deadline)) {
            return null;
        }
        try {
            byte[][] frames = receiveUntil(deadline);
            return frames == null ? null : Frames.toMessage(frames);
        }
        finally {
            this.exchangeLock.unlock();
        }
    }

    private byte[][] receiveUntil(long deadline) {
        ManagedSocket managed = this.socket;
        long stamp = managed.enter();
        try {
            return managed.receiveFramesWithoutBlocking(deadline, "receive");
        }
        finally {
            managed.exit(stamp);
        }
    }

    @Override
    protected byte[][] exchange(byte[][] frames, long deadline) {
        if (!lockExchange(deadline)) {
            return null;
        }
        try {
            ManagedSocket managed = this.socket;
            long stamp = managed.enter();
            try {
                managed.sendWithoutBlocking(frames, "send of a request");
                byte[][] reply = managed.receiveFramesWaitingInEngine(deadline, "receive of a reply");
                if (reply != null) {
                    return reply;
                }
            }
            finally {
                managed.exit(stamp);
            }
            // the request left and its reply did not come in time: a late reply must not answer the next request
            if (type() == SocketType.REQ || type() == SocketType.DEALER) {
                replaceSocket(managed);
            }
            return null;
        }
        finally {
            this.exchangeLock.unlock();
        }
    }

    private boolean lockExchange(long deadline) {
        try {
            long waitNanos = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
            return this.exchangeLock.tryLock(Math.max(0, waitNanos), TimeUnit.NANOSECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new ZmqException(ZmqError.EINTR, name() + ": interrupted while waiting for an earlier exchange");
        }
    }

    @Override
    public void startReading(InboundReader reader) {
        requireClaimed();
        requireCanReceive();
        readLoop().start(reader);
    }

    private synchronized ReadLoopSlot readLoop() {
        // a claimed socket is never replaced (exchanges need an unclaimed one): the slot reads the socket of now
        if (this.readLoop == null) {
            this.readLoop = new ReadLoopSlot(this.socket, "Socket '" + name() + "'");
        }
        return this.readLoop;
    }

    @Override
    public boolean isReading() {
        ReadLoopSlot slot;
        synchronized (this) {
            slot = this.readLoop;
        }
        return slot != null && slot.isReading();
    }

    @Override
    public void stopReading() {
        ReadLoopSlot slot;
        synchronized (this) {
            slot = this.readLoop;
        }
        if (slot != null) {
            slot.stop();
        }
    }

    @Override
    public void close() {
        this.closed = true;
        this.socket.close(ZmqError.ENOTSOCK);
    }

    /**
     * Replaces a REQ or DEALER whose exchange was abandoned after its request left (the caller holds the exchange
     * lock). The new socket has the same options, binds the same (resolved) endpoints and connects the same ones;
     * calls that failed on the old one meanwhile go to the new one.
     */
    private void replaceSocket(ManagedSocket old) {
        List<String> bound = boundEndpoints();
        try {
            long stamp = old.enter();
            try {
                bound.forEach(old::unbind);
            }
            finally {
                old.exit(stamp);
            }
        }
        catch (ZmqException closedMeanwhile) {
            return; // closed by the application or the context: nothing to replace
        }
        ManagedSocket fresh;
        try {
            fresh = this.factory.createSharedSocket(name(), type(), this.options, this.traffic);
        }
        catch (RuntimeException ex) {
            logger.error("Cannot replace socket '" + name() + "' after a timed-out request; it is closed", ex);
            old.close(ZmqError.ETERM);
            return;
        }
        this.socket = fresh;
        old.close(ZmqError.ENOTSOCK);
        if (this.closed) {
            fresh.close(ZmqError.ENOTSOCK);
            return;
        }
        long stamp = fresh.enter();
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
}
