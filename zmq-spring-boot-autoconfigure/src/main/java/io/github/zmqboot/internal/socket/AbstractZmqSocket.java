package io.github.zmqboot.internal.socket;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.zmqboot.convert.ZmqPayloadConverter;
import io.github.zmqboot.core.ZmqError;
import io.github.zmqboot.core.ZmqException;
import io.github.zmqboot.core.ZmqSocket;
import io.github.zmqboot.observation.SendObservable;
import io.github.zmqboot.observation.ZmqObserver;
import io.github.zmqboot.internal.engine.InboundSource;
import io.github.zmqboot.internal.engine.ManagedSocket;
import io.github.zmqboot.internal.engine.SocketTraffic;
import org.zeromq.SocketType;
import org.zeromq.ZMsg;

/**
 * What both {@link ZmqSocket} implementations share: the name and type, payload conversion, the checks of libzmq's
 * per-type rules, the listener's claim on the receiving side, and the request-reply framing of
 * {@code convertSendAndReceive}.
 */
abstract class AbstractZmqSocket implements ZmqSocket, InboundSource, SendObservable {

    /** Timeouts this long count as infinite (and keep deadline arithmetic far from overflow). */
    private static final Duration FOREVER = Duration.ofDays(365L * 100);

    private final String name;

    private final SocketType type;

    private final ZmqPayloadConverter payloadConverter;

    /** {@link SocketKinds#canSend}, fixed per type: checked on every send. */
    private final boolean canSend;

    private final boolean canReceive;

    private final List<String> boundEndpoints = new CopyOnWriteArrayList<>();

    private final Object claimMonitor = new Object();

    private volatile Object receivingOwner;

    /** Observes each send; {@code null} (nothing to do per send) unless observation is on. */
    private volatile ZmqObserver observer;

    protected AbstractZmqSocket(String name, SocketType type, ZmqPayloadConverter payloadConverter) {
        this.name = name;
        this.type = type;
        this.payloadConverter = payloadConverter;
        this.canSend = SocketKinds.canSend(type);
        this.canReceive = SocketKinds.canReceive(type);
    }

    /** The engine socket behind this bean (replaced after a REQ or DEALER exchange timed out). */
    public abstract ManagedSocket managedSocket();

    /** The messages and bytes this bean sent and received, across socket replacements. */
    public abstract SocketTraffic traffic();

    @Override
    public String name() {
        return this.name;
    }

    @Override
    public SocketType type() {
        return this.type;
    }

    @Override
    public List<String> boundEndpoints() {
        return List.copyOf(this.boundEndpoints);
    }

    /** Records an endpoint this socket bound, resolved. */
    protected void addBoundEndpoint(String resolved) {
        this.boundEndpoints.add(resolved);
    }

    @Override
    public void observeSends(ZmqObserver observer) {
        this.observer = observer;
    }

    @Override
    public final void send(byte[] payload) {
        ZmqObserver current = this.observer;
        if (current == null) {
            sendPayload(payload);
            return;
        }
        ZmqObserver.Call call = current.send(this.name);
        try {
            sendPayload(payload);
        }
        catch (RuntimeException ex) {
            call.failed(ex);
            throw ex;
        }
        call.succeeded();
    }

    @Override
    public final void send(ZMsg message) {
        ZmqObserver current = this.observer;
        if (current == null) {
            sendMessage(message);
            return;
        }
        ZmqObserver.Call call = current.send(this.name);
        try {
            sendMessage(message);
        }
        catch (RuntimeException ex) {
            call.failed(ex);
            throw ex;
        }
        call.succeeded();
    }

    /** {@link #send(byte[])}, after observation. */
    protected abstract void sendPayload(byte[] payload);

    /** {@link #send(ZMsg)}, after observation. */
    protected abstract void sendMessage(ZMsg message);

    @Override
    public void send(String payload) {
        send(this.payloadConverter.toPayload(payload));
    }

    @Override
    public void convertAndSend(Object payload) {
        if (payload instanceof ZMsg message) {
            send(message);
        }
        else {
            send(this.payloadConverter.toPayload(payload));
        }
    }

    @Override
    public int connectPeer(String endpoint) {
        throw new ZmqException(ZmqError.ENOTSUP, this.name + ": zmq_connect_peer is for PEER sockets only, not "
                + this.type + "; configure a PEER under zmq.peers");
    }

    @Override
    public <T> T convertSendAndReceive(Object request, Class<T> replyType, Duration timeout) {
        if (!SocketKinds.canRequest(this.type)) {
            throw new ZmqException(ZmqError.ENOTSUP, this.name + ": convertSendAndReceive needs a REQ, DEALER or "
                    + "CLIENT socket, not " + this.type);
        }
        requireNotClaimed("convertSendAndReceive()");
        byte[][] payload = request instanceof ZMsg message ? Frames.of(message)
                : new byte[][] { this.payloadConverter.toPayload(request) };
        byte[][] frames = this.type == SocketType.DEALER ? Frames.prefixed(Frames.delimiter(), payload) : payload;
        byte[][] reply = exchange(frames, deadline(timeout));
        if (reply == null) {
            return null;
        }
        byte[][] replyPayload = this.type == SocketType.DEALER ? Frames.afterEnvelope(reply) : reply;
        return convertReply(replyPayload, replyType);
    }

    /**
     * Sends one request and waits for its reply; exchanges on one socket run one at a time, in call order.
     *
     * @param frames the request, envelope included
     * @param deadline {@link System#nanoTime()} after which to give up
     * @return the reply's frames as received, or null on timeout
     */
    protected abstract byte[][] exchange(byte[][] frames, long deadline);

    @SuppressWarnings("unchecked")
    private <T> T convertReply(byte[][] payload, Class<T> replyType) {
        if (replyType == ZMsg.class) {
            return (T) Frames.toMessage(payload);
        }
        byte[] last = payload.length > 0 ? payload[payload.length - 1] : new byte[0];
        return this.payloadConverter.fromPayload(last, replyType);
    }

    @Override
    public void claim(Object owner) {
        synchronized (this.claimMonitor) {
            if (this.receivingOwner != null && this.receivingOwner != owner) {
                throw new IllegalStateException("Socket '" + this.name + "' is already read by " + this.receivingOwner);
            }
            this.receivingOwner = owner;
        }
    }

    /** Whether a listener claimed the receiving side. */
    protected boolean isClaimed() {
        return this.receivingOwner != null;
    }

    /** @throws IllegalStateException when a listener owns the receiving side */
    protected void requireNotClaimed(String operation) {
        Object owner = this.receivingOwner;
        if (owner != null) {
            throw new IllegalStateException("Socket '" + this.name + "' is read by " + owner + "; " + operation
                    + " is not available while a listener owns the socket");
        }
    }

    /** @throws IllegalStateException when nobody claimed the receiving side */
    protected void requireClaimed() {
        if (this.receivingOwner == null) {
            throw new IllegalStateException("Socket '" + this.name + "' must be claimed before reading");
        }
    }

    /** @throws ZmqException {@code ENOTSUP} when this type cannot send */
    protected void requireCanSend() {
        if (!this.canSend) {
            throw new ZmqException(ZmqError.ENOTSUP, this.name + ": a " + this.type + " socket cannot send");
        }
    }

    /** @throws ZmqException {@code ENOTSUP} when this type cannot receive */
    protected void requireCanReceive() {
        if (!this.canReceive) {
            throw new ZmqException(ZmqError.ENOTSUP, this.name + ": a " + this.type + " socket cannot receive");
        }
    }

    /** @throws ZmqException {@code EINVAL} (libzmq's answer to ZMQ_SUBSCRIBE elsewhere) when this is not a SUB */
    protected void requireSubscriber() {
        if (this.type != SocketType.SUB) {
            throw new ZmqException(ZmqError.EINVAL, this.name + ": subscribe/unsubscribe apply to SUB sockets only, "
                    + "not " + this.type);
        }
    }

    /** @throws ZmqException {@code ENOTSUP} (libzmq's answer to zmq_join elsewhere) when this is not a DISH */
    protected void requireDish() {
        if (this.type != SocketType.DISH) {
            throw new ZmqException(ZmqError.ENOTSUP, this.name + ": join/leave apply to DISH sockets only, not "
                    + this.type);
        }
    }

    /** @throws ZmqException {@code EINVAL} for an empty message */
    protected void requireFrames(byte[][] frames) {
        if (frames.length == 0) {
            throw new ZmqException(ZmqError.EINVAL, this.name + ": a message has at least one frame");
        }
    }

    /** {@link System#nanoTime()} at {@code timeout} from now; {@link Long#MAX_VALUE} for a negative timeout. */
    protected static long deadline(Duration timeout) {
        if (timeout.isNegative() || timeout.compareTo(FOREVER) >= 0) {
            return Long.MAX_VALUE;
        }
        return System.nanoTime() + timeout.toNanos();
    }

    @Override
    public String toString() {
        return "ZmqSocket " + this.type + " '" + this.name + "'";
    }
}
