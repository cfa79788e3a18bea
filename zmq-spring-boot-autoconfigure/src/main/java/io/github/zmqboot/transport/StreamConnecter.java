package io.github.zmqboot.transport;

import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
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
 * One connection attempt of a connecting session, as JeroMQ's {@code TcpConnecter} (which it follows): connects
 * without blocking, hands the connection to a new engine attached to the session, and ends. The engine, when it
 * loses the connection, launches the next attempt (delayed by the reconnect interval) under the same session, so the
 * session, its pipe and a PEER's routing id outlive the connection exactly as over tcp.
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

    /** Where a connecting session connects: the endpoint as the user wrote it, and how to reach it. */
    record Target(String endpoint, ProtocolFamily family, SocketAddress address, EngineFactory engines) {
    }

    StreamConnecter(IOThread ioThread, SessionBase session, Options options, Target target, boolean delayedStart) {
        super(ioThread, options);
        this.ioObject = new IOObject(ioThread, this);
        this.session = session;
        this.socket = session.getSocket();
        this.target = target;
        this.delayedStart = delayedStart;
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
            this.channel = SocketChannel.open(this.target.family());
            this.channel.configureBlocking(false);
            boolean connected = this.channel.connect(this.target.address());
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
        sendAttach(this.session, this.target.engines().create(connected, this.options, this.target.endpoint(), next));
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

    /** The reconnect interval plus up to one interval of jitter, as JeroMQ's tcp connecter. */
    private int nextInterval() {
        int base = Math.max(1, this.options.reconnectIvl);
        return base + ThreadLocalRandom.current().nextInt(base);
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
