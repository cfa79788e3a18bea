package io.github.zmqboot.internal.peer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.zmqboot.convert.ZmqPayloadConverter;
import io.github.zmqboot.core.ZmqError;
import io.github.zmqboot.core.ZmqException;
import io.github.zmqboot.core.ZmqPeer;
import io.github.zmqboot.observation.SendObservable;
import io.github.zmqboot.observation.ZmqObserver;
import io.github.zmqboot.internal.engine.Endpoints;
import io.github.zmqboot.internal.engine.InboundReader;
import io.github.zmqboot.internal.engine.InboundSource;
import io.github.zmqboot.internal.engine.ManagedSocket;
import io.github.zmqboot.internal.engine.ReadLoopSlot;
import io.github.zmqboot.internal.engine.SocketTraffic;
import org.zeromq.SocketType;
import zmq.Msg;
import zmq.SocketBase;

/**
 * The {@link ZmqPeer} implementation over the engine's thread-safe PEER socket.
 * <p>
 * The engine serialises connect, send and receive itself; this class adds libzmq's error contract
 * ({@code EFAULT}, {@code ENOCOMPATPROTO}, {@code ENOTSOCK}, ...), serialises {@code disconnectPeer} (which the
 * engine runs without its socket lock) on that same lock, and makes {@link #close()} safe while other threads
 * are blocked in the socket.
 */
public class DefaultZmqPeer implements ZmqPeer, InboundSource, SendObservable {

    private final ManagedSocket socket;

    private final SocketBase base;

    private final ZmqPayloadConverter payloadConverter;

    private final boolean immediate;

    private final List<String> boundEndpoints = new CopyOnWriteArrayList<>();

    private final Map<Integer, String> connections = new ConcurrentHashMap<>();

    private final Object readingMonitor = new Object();

    private volatile Object receivingOwner;

    /** Observes each send; {@code null} (nothing to do per send) unless observation is on. */
    private volatile ZmqObserver observer;

    private final ReadLoopSlot readLoop;

    public DefaultZmqPeer(ManagedSocket socket, ZmqPayloadConverter payloadConverter) {
        this.socket = socket;
        this.base = socket.base();
        this.payloadConverter = payloadConverter;
        this.immediate = socket.options().immediate();
        this.readLoop = new ReadLoopSlot(socket, "Peer '" + socket.name() + "'");
    }

    @Override
    public String name() {
        return this.socket.name();
    }

    /** The underlying managed socket (for the listener container and the actuator). */
    @Override
    public ManagedSocket managedSocket() {
        return this.socket;
    }

    @Override
    public SocketTraffic traffic() {
        return this.socket.traffic();
    }

    @Override
    public int connect(String endpoint) {
        long stamp = this.socket.enter();
        try {
            if (this.immediate) {
                throw new ZmqException(ZmqError.EFAULT, name() + ": zmq_connect_peer needs immediate=false: with "
                        + "immediate=true no connection (hence no routing id) exists until the handshake completes");
            }
            Endpoints.validate(endpoint, SocketType.PEER, true);
            int routingId;
            try {
                routingId = this.socket.connectPeer(endpoint);
            }
            catch (IllegalArgumentException ex) {
                throw new ZmqException(ZmqError.EINVAL, name() + ": invalid endpoint '" + endpoint + "'", ex);
            }
            catch (org.zeromq.ZMQException ex) {
                throw new ZmqException(ZmqError.fromErrno(ex.getErrorCode()),
                        name() + ": connect to '" + endpoint + "' failed", ex);
            }
            if (routingId == 0) {
                throw this.socket.lastError("connect to '" + endpoint + "'");
            }
            this.connections.put(routingId, endpoint);
            return routingId;
        }
        finally {
            this.socket.exit(stamp);
        }
    }

    @Override
    public String bind(String endpoint) {
        long stamp = this.socket.enter();
        try {
            Endpoints.validate(endpoint, SocketType.PEER, false);
            String resolved = this.socket.bind(endpoint);
            this.boundEndpoints.add(resolved);
            return resolved;
        }
        finally {
            this.socket.exit(stamp);
        }
    }

    @Override
    public List<String> boundEndpoints() {
        return List.copyOf(this.boundEndpoints);
    }

    @Override
    public Map<Integer, String> connections() {
        return Map.copyOf(this.connections);
    }

    @Override
    public void disconnect(int routingId) {
        long stamp = this.socket.enter();
        try {
            boolean disconnected = this.socket.underEngineLock(() -> this.base.disconnectPeer(routingId));
            if (!disconnected) {
                throw this.socket.lastError("disconnect of routing id " + routingId);
            }
            String endpoint = this.connections.remove(routingId);
            if (endpoint != null && !this.connections.containsValue(endpoint)) {
                this.socket.forgetConnect(endpoint);
            }
        }
        finally {
            this.socket.exit(stamp);
        }
    }

    @Override
    public void observeSends(ZmqObserver observer) {
        this.observer = observer;
    }

    @Override
    public void send(int routingId, byte[] payload) {
        ZmqObserver current = this.observer;
        if (current == null) {
            sendUnobserved(routingId, payload);
            return;
        }
        ZmqObserver.Call call = current.send(name());
        try {
            sendUnobserved(routingId, payload);
        }
        catch (RuntimeException ex) {
            call.failed(ex);
            throw ex;
        }
        call.succeeded();
    }

    private void sendUnobserved(int routingId, byte[] payload) {
        Msg msg = new Msg(payload);
        msg.setRoutingId(routingId);
        long stamp = this.socket.enter();
        try {
            this.socket.sendWithoutBlocking(msg, "send"); // a failure names the routing id
        }
        finally {
            this.socket.exit(stamp);
        }
    }

    @Override
    public void send(int routingId, String payload) {
        send(routingId, this.payloadConverter.toPayload(payload));
    }

    @Override
    public void convertAndSend(int routingId, Object payload) {
        send(routingId, this.payloadConverter.toPayload(payload));
    }

    @Override
    public Received receive(Duration timeout) {
        if (this.receivingOwner != null) {
            throw new IllegalStateException("Peer '" + name() + "' is read by " + this.receivingOwner
                    + "; receive() is not available while a listener owns the socket");
        }
        long stamp = this.socket.enter();
        try {
            Msg msg = this.socket.receiveWithoutBlocking(System.nanoTime() + timeout.toNanos(), "receive");
            return msg == null ? null : new Received(msg.getRoutingId(), msg.data());
        }
        finally {
            this.socket.exit(stamp);
        }
    }

    @Override
    public SocketType type() {
        return SocketType.PEER;
    }

    @Override
    public void claim(Object owner) {
        synchronized (this.readingMonitor) {
            if (this.receivingOwner != null && this.receivingOwner != owner) {
                throw new IllegalStateException("Peer '" + name() + "' is already read by " + this.receivingOwner);
            }
            this.receivingOwner = owner;
        }
    }

    @Override
    public void startReading(InboundReader reader) {
        synchronized (this.readingMonitor) {
            if (this.receivingOwner == null) {
                throw new IllegalStateException("Peer '" + name() + "' must be claimed before reading");
            }
            this.readLoop.start(reader);
        }
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
    public void reply(int routingId, byte[][] frames) {
        if (frames.length != 1) {
            throw new ZmqException(ZmqError.EINVAL, name() + ": a PEER message is exactly one frame, not " + frames.length);
        }
        send(routingId, frames[0]);
    }

    @Override
    public void close() {
        this.socket.close(ZmqError.ENOTSOCK);
    }

    @Override
    public String toString() {
        return "ZmqPeer '" + name() + "'";
    }
}
