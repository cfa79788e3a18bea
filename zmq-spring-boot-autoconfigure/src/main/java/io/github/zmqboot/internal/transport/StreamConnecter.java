package io.github.zmqboot.internal.transport;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ThreadLocalRandom;

import zmq.Options;
import zmq.Own;
import zmq.SocketBase;
import zmq.ZError;
import zmq.io.IOObject;
import zmq.io.IOThread;
import zmq.io.SessionBase;
import zmq.io.net.Address;
import zmq.poll.IPollEvents;
import zmq.poll.Poller;

/**
 * One connection attempt of a connecting session, as JeroMQ's {@code TcpConnecter} (which it follows): resolves the
 * target's address (a tcp host name is looked up on each attempt, as libzmq does), connects without blocking, hands
 * the connection to a new engine attached to the session, and ends. A failed attempt is retried after the reconnect
 * interval (doubling up to {@code ZMQ_RECONNECT_IVL_MAX} when that is set, as JeroMQ). The engine, when it loses the
 * connection, launches the next attempt (delayed by the reconnect interval) under the same session, so the session,
 * its pipe and a PEER's routing id outlive the connection exactly as over tcp.
 * <p>
 * The engine is attached only after the poller's next pass, which avoids JeroMQ's connect hand-off race (its pull
 * request #1022, unreleased): see {@link #connectEvent()}.
 */
final class StreamConnecter extends Own implements IPollEvents {

    private static final int RECONNECT_TIMER_ID = 1;

    private static final int ATTACH_TIMER_ID = 2;

    private final IOObject ioObject;

    private final SessionBase session;

    private final SocketBase socket;

    private final Target target;

    private final boolean delayedStart;

    private SocketChannel channel;

    private Poller.Handle handle;

    private boolean timerStarted;

    /** Connected; the engine is attached once the poller has let go of this connecter's registration. */
    private boolean attachPending;

    /** The reconnect interval of the next failed attempt (grows up to ZMQ_RECONNECT_IVL_MAX when that is set). */
    private int currentInterval;

    /**
     * Where a connecting session connects: the endpoint as the user wrote it, how to find its address (asked on each
     * attempt), what to set on a new channel before it connects, and the engine of a connection.
     */
    record Target(String endpoint, Resolver resolver, ChannelSetup setup, EngineFactory engines) {

        /** A target whose address is known already. */
        static Target fixed(String endpoint, SocketAddress address, EngineFactory engines) {
            return new Target(endpoint, () -> address, channel -> {
            }, engines);
        }
    }

    /** Finds a target's address, for each connection attempt. */
    @FunctionalInterface
    interface Resolver {

        /** @throws IOException when there is no address now (the attempt fails and is retried) */
        SocketAddress resolve() throws IOException;
    }

    /** Sets options on a new channel before it connects (e.g. kernel buffer sizes). */
    @FunctionalInterface
    interface ChannelSetup {

        void prepare(SocketChannel channel) throws IOException;
    }

    StreamConnecter(IOThread ioThread, SessionBase session, Options options, Target target, boolean delayedStart) {
        super(ioThread, options);
        this.ioObject = new IOObject(ioThread, this);
        this.session = session;
        this.socket = session.getSocket();
        this.target = target;
        this.delayedStart = delayedStart;
        this.currentInterval = Math.max(1, options.reconnectIvl);
    }

    /** Starts the first attempt of a new connecting session (on the socket's thread). */
    static void launchFirst(IOThread ioThread, SessionBase session, Options options, Target target) {
        EngineAccess.launchChild(session,
                new StreamConnecter(ioThread, session, options, target, false));
    }

    @Override
    protected void processPlug() {
        this.ioObject.plug();
        if (this.delayedStart) {
            addReconnectTimer();
        }
        else {
            startConnecting();
        }
    }

    @Override
    protected void processTerm(int linger) {
        if (this.timerStarted) {
            this.ioObject.cancelTimer(RECONNECT_TIMER_ID);
            this.timerStarted = false;
        }
        if (this.attachPending) {
            this.ioObject.cancelTimer(ATTACH_TIMER_ID);
            this.attachPending = false;
        }
        if (this.handle != null) {
            this.ioObject.removeHandle(this.handle);
            this.handle = null;
        }
        if (this.channel != null) {
            close();
        }
        super.processTerm(linger);
    }

    @Override
    protected void destroy() {
        this.ioObject.unplug();
    }

    @Override
    public void connectEvent() {
        this.ioObject.removeHandle(this.handle);
        this.handle = null;
        try {
            this.channel.finishConnect();
        }
        catch (IOException ex) {
            close();
            addReconnectTimer();
            return;
        }
        // Not now: JeroMQ's poller (a HashSet of handles) applies registrations in no set order, and the engine's
        // registration of this same channel, made before the poller has cancelled and dropped this connecter's key,
        // is lost: the engine then hears nothing, the other side's handshake interval closes the connection, and a
        // message handed to it meanwhile is gone (seen: 1 in a few hundred fresh ws connections). A timer fires
        // after the poller's next pass, which drops the old key.
        this.attachPending = true;
        this.ioObject.addTimer(0, ATTACH_TIMER_ID);
    }

    @Override
    public void timerEvent(int id) {
        if (id == ATTACH_TIMER_ID) {
            this.attachPending = false;
            attachEngine();
            return;
        }
        this.timerStarted = false;
        startConnecting();
    }

    private void startConnecting() {
        try {
            SocketAddress address = this.target.resolver().resolve();
            this.channel = SocketChannel.open(familyOf(address));
            this.channel.configureBlocking(false);
            this.target.setup().prepare(this.channel);
            boolean connected = this.channel.connect(address);
            this.handle = this.ioObject.addFd(this.channel);
            if (connected) {
                connectEvent();
            }
            else {
                this.ioObject.setPollConnect(this.handle);
                this.socket.eventConnectDelayed(this.target.endpoint(), -1);
            }
        }
        catch (IOException | RuntimeException ex) {
            if (this.handle != null) {
                this.ioObject.removeHandle(this.handle);
                this.handle = null;
            }
            if (this.channel != null) {
                close();
            }
            addReconnectTimer();
        }
    }

    private void attachEngine() {
        SocketChannel connected = this.channel;
        this.channel = null;
        Runnable next = (this.options.reconnectIvl == -1) ? null : this::launchNextAttempt;
        sendAttach(this.session, this.target.engines().create(connected, this.options, this.target.endpoint(),
                new EngineFactory.Connection(true, ConnectionGuard.of(this.socket), next, null)));
        terminate();
        this.socket.eventConnected(this.target.endpoint(), connected);
    }

    /** Run by the engine on the session's I/O thread when the connection is lost. */
    private void launchNextAttempt() {
        IOThread ioThread = EngineAccess.chooseIoThread(this.socket, this.options.affinity);
        EngineAccess.launchChild(this.session,
                new StreamConnecter(ioThread, this.session, this.options, this.target, true));
    }

    private void addReconnectTimer() {
        int interval = nextInterval();
        this.ioObject.addTimer(interval, RECONNECT_TIMER_ID);
        this.socket.eventConnectRetried(this.target.endpoint(), interval);
        this.timerStarted = true;
    }

    /**
     * The current reconnect interval plus up to one reconnect interval of jitter, as JeroMQ's tcp connecter; with
     * {@code ZMQ_RECONNECT_IVL_MAX} set, the current interval doubles up to it.
     */
    private int nextInterval() {
        int base = Math.max(1, this.options.reconnectIvl);
        int interval = this.currentInterval + ThreadLocalRandom.current().nextInt(base);
        if (this.options.reconnectIvlMax > 0 && this.options.reconnectIvlMax > this.options.reconnectIvl) {
            this.currentInterval = Math.min(this.currentInterval * 2, this.options.reconnectIvlMax);
        }
        return interval;
    }

    private static ProtocolFamily familyOf(SocketAddress address) {
        if (address instanceof UnixDomainSocketAddress) {
            return StandardProtocolFamily.UNIX;
        }
        return (address instanceof InetSocketAddress inet && inet.getAddress() instanceof Inet6Address)
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
    }

    private void close() {
        try {
            this.channel.close();
            this.socket.eventClosed(this.target.endpoint(), this.channel);
        }
        catch (IOException ex) {
            this.socket.eventCloseFailed(this.target.endpoint(), ZError.exccode(ex));
        }
        this.channel = null;
    }

    @Override
    public void inEvent() {
    }

    @Override
    public void outEvent() {
    }

    @Override
    public void acceptEvent() {
    }

    @Override
    public String toString() {
        return "StreamConnecter[" + this.target.endpoint() + "]";
    }

    static Address sessionAddress() {
        // A session whose address has no protocol does not start JeroMQ's own connecter (SessionBase
        // .startConnecting returns at once); this class connects instead.
        return new Address((zmq.io.net.NetProtocol) null, "");
    }
}
