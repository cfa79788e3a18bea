package io.github.zmqboot.internal.socket;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import io.github.zmqboot.convert.ZmqPayloadConverter;
import io.github.zmqboot.core.ZmqError;
import io.github.zmqboot.core.ZmqException;
import io.github.zmqboot.internal.engine.Endpoints;
import io.github.zmqboot.internal.engine.InboundReader;
import io.github.zmqboot.internal.engine.ManagedSocket;
import io.github.zmqboot.internal.engine.ReadLoopSlot;
import io.github.zmqboot.internal.engine.SocketTraffic;
import org.zeromq.SocketType;
import org.zeromq.ZFrame;
import org.zeromq.ZMsg;
import zmq.Msg;
import zmq.SocketBase;

/**
 * A {@link io.github.zmqboot.core.ZmqSocket} over a socket the engine makes thread-safe (SERVER, CLIENT, RADIO,
 * DISH, SCATTER, GATHER, CHANNEL, RAW): every call goes straight to the engine, which serialises them on its socket
 * lock, as {@link io.github.zmqboot.internal.peer.DefaultZmqPeer} does for PEER: non-blocking engine calls, and waits for a
 * message or queue space outside the engine's lock (which JeroMQ 0.6.0 would hold while blocking). Messages of these types are one frame;
 * SERVER and RAW address them by routing id, RADIO and DISH by group.
 * <p>
 * Routing ids and groups travel in the {@link ZFrame}: {@link #receive(Duration)} returns a one-frame message whose
 * frame has {@link ZFrame#getRoutingId()} (SERVER) or {@link ZFrame#getGroup()} (DISH) set, and
 * {@link #send(ZMsg)} reads them from the frame; a RADIO also takes {@code [group, payload]}, and sends a message
 * without group to group {@code ""} (libzmq's default).
 */
class ThreadSafeZmqSocket extends AbstractZmqSocket {


    private final ManagedSocket socket;

    private final SocketBase base;

    private final ReentrantLock exchangeLock = new ReentrantLock(true);

    private final ReadLoopSlot readLoop;

    public ThreadSafeZmqSocket(ManagedSocket socket, ZmqPayloadConverter payloadConverter) {
        super(socket.name(), socket.type(), payloadConverter);
        if (!SocketKinds.isThreadSafe(socket.type())) {
            throw new IllegalArgumentException(socket.type() + " is not thread-safe in the engine");
        }
        this.socket = socket;
        this.base = socket.base();
        this.readLoop = new ReadLoopSlot(socket, "Socket '" + socket.name() + "'");
    }

    @Override
    public SocketTraffic traffic() {
        return this.socket.traffic();
    }

    /** The underlying managed socket (for the listener container and the actuator). */
    public ManagedSocket managedSocket() {
        return this.socket;
    }

    @Override
    public String bind(String endpoint) {
        long stamp = this.socket.enter();
        try {
            Endpoints.validate(endpoint, type(), false);
            String resolved = this.socket.bind(endpoint);
            addBoundEndpoint(resolved);
            return resolved;
        }
        finally {
            this.socket.exit(stamp);
        }
    }

    @Override
    public void connect(String endpoint) {
        long stamp = this.socket.enter();
        try {
            Endpoints.validate(endpoint, type(), true);
            EngineCalls.connect(this.socket, endpoint);
        }
        finally {
            this.socket.exit(stamp);
        }
    }

    @Override
    protected void sendPayload(byte[] payload) {
        requireCanSend();
        sendMsg(new Msg(payload), 0, null);
    }

    @Override
    protected void sendMessage(ZMsg message) {
        requireCanSend();
        byte[][] frames = Frames.of(message);
        requireFrames(frames);
        if (type() == SocketType.RADIO && frames.length == 2) {
            sendMsg(new Msg(frames[1]), 0, new String(frames[0], StandardCharsets.UTF_8));
            return;
        }
        if (frames.length != 1) {
            throw new ZmqException(ZmqError.EINVAL, name() + ": a " + type() + " message is exactly one frame"
                    + (type() == SocketType.RADIO ? " (or [group, payload])" : "") + ", not " + frames.length);
        }
        ZFrame frame = message.peekFirst();
        sendMsg(new Msg(frames[0]), frame.getRoutingId(), frame.getGroup());
    }

    @Override
    public void reply(int routingId, byte[][] frames) {
        requireFrames(frames);
        if (frames.length != 1) {
            throw new ZmqException(ZmqError.EINVAL, name() + ": a " + type() + " message is exactly one frame, not "
                    + frames.length);
        }
        sendMsg(new Msg(frames[0]), routingId, null);
    }

    private void sendMsg(Msg msg, int routingId, String group) {
        if (SocketKinds.usesRoutingId(type())) {
            msg.setRoutingId(routingId);
        }
        if (type() == SocketType.RADIO) {
            msg.setGroup(group != null ? group : "");
        }
        long stamp = this.socket.enter();
        try {
            this.socket.sendWithoutBlocking(msg, "send");
        }
        finally {
            this.socket.exit(stamp);
        }
    }

    @Override
    public void subscribe(String topic) {
        requireSubscriber();
    }

    @Override
    public void unsubscribe(String topic) {
        requireSubscriber();
    }

    @Override
    public void join(String group) {
        requireDish();
        long stamp = this.socket.enter();
        try {
            if (!this.base.join(group)) {
                throw this.socket.lastError("join of group '" + group + "'");
            }
        }
        finally {
            this.socket.exit(stamp);
        }
    }

    @Override
    public void leave(String group) {
        requireDish();
        long stamp = this.socket.enter();
        try {
            if (!this.base.leave(group)) {
                throw this.socket.lastError("leave of group '" + group + "'");
            }
        }
        finally {
            this.socket.exit(stamp);
        }
    }

    @Override
    public ZMsg receive(Duration timeout) {
        requireNotClaimed("receive()");
        requireCanReceive();
        Msg msg = receiveUntil(deadline(timeout));
        return msg == null ? null : toMessage(msg);
    }

    @Override
    protected byte[][] exchange(byte[][] frames, long deadline) {
        if (frames.length != 1) {
            throw new ZmqException(ZmqError.EINVAL, name() + ": a " + type() + " request is exactly one frame, not "
                    + frames.length);
        }
        try {
            long waitNanos = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
            if (!this.exchangeLock.tryLock(Math.max(0, waitNanos), TimeUnit.NANOSECONDS)) {
                return null;
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new ZmqException(ZmqError.EINTR, name() + ": interrupted while waiting for an earlier exchange");
        }
        try {
            sendMsg(new Msg(frames[0]), 0, null);
            Msg reply = receiveUntil(deadline);
            return reply == null ? null : new byte[][] { reply.data() };
        }
        finally {
            this.exchangeLock.unlock();
        }
    }

    private Msg receiveUntil(long deadline) {
        long stamp = this.socket.enter();
        try {
            return this.socket.receiveWithoutBlocking(deadline, "receive");
        }
        finally {
            this.socket.exit(stamp);
        }
    }

    private static ZMsg toMessage(Msg msg) {
        ZFrame frame = new ZFrame(msg.data());
        frame.setRoutingId(msg.getRoutingId());
        frame.setGroup(msg.getGroup());
        ZMsg message = new ZMsg();
        message.add(frame);
        return message;
    }

    @Override
    public void startReading(InboundReader reader) {
        requireClaimed();
        requireCanReceive();
        this.readLoop.start(reader);
    }

    @Override
    public boolean isReading() {
        return this.readLoop.isReading();
    }

    @Override
    public void stopReading() {
        this.readLoop.stop();
    }

    @Override
    public void close() {
        this.socket.close(ZmqError.ENOTSOCK);
    }
}
