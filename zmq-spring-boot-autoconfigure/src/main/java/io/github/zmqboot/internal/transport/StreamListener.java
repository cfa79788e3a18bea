package io.github.zmqboot.internal.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import zmq.Options;
import zmq.Own;
import zmq.SocketBase;
import zmq.ZError;
import zmq.io.IEngine;
import zmq.io.IOObject;
import zmq.io.IOThread;
import zmq.io.SessionBase;
import zmq.io.net.Address;
import zmq.poll.IPollEvents;
import zmq.poll.Poller;
import zmq.socket.Sockets;

/**
 * A bound endpoint of one of this project's transports, owned by its socket, as JeroMQ's {@code TcpListener}: accepts
 * connections on an already bound server channel and gives each an engine and a session of its own. Ends when the
 * socket unbinds the endpoint or closes; then runs {@code onClose} (e.g. removing an ipc socket file).
 * <p>
 * Unlike JeroMQ's, it never spins: when an accept fails (no file descriptor left, {@code EMFILE}), it stops polling
 * the server channel and tries again after a pause that doubles from {@value #FIRST_PAUSE_MILLIS} ms up to
 * {@value #LONGEST_PAUSE_MILLIS} ms, raising one {@code ACCEPT_FAILED} event per attempt (JeroMQ retries at once: an
 * I/O thread at 100 % and about 185,000 events a second) and logging once per run of failures. A connection beyond
 * the socket's {@code max-connections} is accepted and closed at once (counted and logged by its
 * {@link ConnectionGuard}).
 */
final class StreamListener extends Own implements IPollEvents {

    private static final Log logger = LogFactory.getLog(StreamListener.class);

    static final int FIRST_PAUSE_MILLIS = 10;

    static final int LONGEST_PAUSE_MILLIS = 1000;

    /** A run of failed accepts is logged again at most this often. */
    private static final long LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private static final int PAUSE_TIMER_ID = 1;

    private final IOObject ioObject;

    private final SocketBase socket;

    private final String endpoint;

    private final EngineFactory engines;

    private final Runnable onClose;

    private ServerSocketChannel server;

    private Poller.Handle handle;

    private final ConnectionGuard guard;

    /** The pause before the next accept after a failure; 0 while accepts succeed. */
    private int pauseMillis;

    /** Failed accepts in the current run of failures. */
    private long failuresInRun;

    private boolean paused;

    /** When a run of failed accepts was last logged (0: never). */
    private long lastLoggedNanos;

    /** Whether the current run of failed accepts was logged (its end is then logged too). */
    private boolean runLogged;

    StreamListener(IOThread ioThread, SocketBase socket, Options options, String endpoint, ServerSocketChannel server,
            EngineFactory engines, Runnable onClose) {
        super(ioThread, options);
        this.ioObject = new IOObject(ioThread, this);
        this.socket = socket;
        this.endpoint = endpoint;
        this.server = server;
        this.engines = engines;
        this.onClose = onClose;
        this.guard = ConnectionGuard.of(socket);
    }

    String endpoint() {
        return this.endpoint;
    }

    @Override
    protected void processPlug() {
        this.ioObject.plug();
        this.handle = this.ioObject.addFd(this.server);
        this.ioObject.setPollAccept(this.handle);
        this.socket.eventListening(this.endpoint, this.server);
    }

    @Override
    protected void processTerm(int linger) {
        if (this.paused) {
            this.ioObject.cancelTimer(PAUSE_TIMER_ID);
            this.paused = false;
        }
        if (this.handle != null) {
            this.ioObject.removeHandle(this.handle);
            this.handle = null;
        }
        close();
        super.processTerm(linger);
    }

    @Override
    protected void destroy() {
        this.ioObject.unplug();
    }

    /** Closes the server channel if no one has (also when the listener is never plugged). */
    void close() {
        if (this.server == null) {
            return;
        }
        try {
            this.server.close();
            this.socket.eventClosed(this.endpoint, this.server);
        }
        catch (IOException ex) {
            this.socket.eventCloseFailed(this.endpoint, ZError.exccode(ex));
        }
        this.server = null;
        this.onClose.run();
    }

    @Override
    public void acceptEvent() {
        SocketChannel channel;
        try {
            channel = this.server.accept();
            if (channel == null) {
                return;
            }
        }
        catch (IOException ex) {
            acceptFailed(ex);
            return;
        }
        if (this.pauseMillis > 0) {
            acceptsAgain();
        }
        String remoteIp = remoteIp(channel);
        if (!this.guard.admit(this.socket, remoteIp, this.endpoint)) {
            closeQuietly(channel);
            return;
        }
        IEngine engine;
        try {
            channel.configureBlocking(false);
            engine = this.engines.create(channel, this.options, this.endpoint,
                    new EngineFactory.Connection(false, this.guard, null, this.guard::closed));
        }
        catch (IOException | RuntimeException ex) {
            // the connection went away meanwhile, or its engine could not be made: nothing to attach
            this.guard.closed();
            closeQuietly(channel);
            this.socket.eventAcceptFailed(this.endpoint, (ex instanceof IOException io) ? ZError.exccode(io)
                    : ZError.EINVAL);
            return;
        }
        IOThread ioThread = EngineAccess.chooseIoThread(this.socket, this.options.affinity);
        SessionBase session = Sockets.createSession(ioThread, false, this.socket, this.options, (Address) null);
        session.incSeqnum();
        launchChild(session);
        sendAttach(session, engine, false);
        this.socket.eventAccepted(this.endpoint, channel);
    }

    /**
     * An accept failed: most likely no file descriptor is left (the channel stays ready to accept, so polling it
     * again at once would spin). Stops polling the server channel and tries again after a pause.
     */
    private void acceptFailed(IOException ex) {
        this.guard.acceptFailed();
        this.failuresInRun++;
        this.socket.eventAcceptFailed(this.endpoint, ZError.exccode(ex));
        this.pauseMillis = (this.pauseMillis == 0) ? FIRST_PAUSE_MILLIS
                : Math.min(this.pauseMillis * 2, LONGEST_PAUSE_MILLIS);
        long now = System.nanoTime();
        if (this.failuresInRun == 1 && (this.lastLoggedNanos == 0 || now - this.lastLoggedNanos > LOG_INTERVAL_NANOS)) {
            logger.warn("Socket '" + this.guard.socketName() + "' cannot accept connections on " + this.endpoint + ": "
                    + ex + "; it tries again after a pause growing to " + LONGEST_PAUSE_MILLIS + " ms, meanwhile"
                    + " connecting clients wait (later failures are counted, not logged)");
            this.runLogged = true;
            this.lastLoggedNanos = now;
        }
        // the handle stays registered (a new registration of the same channel could be lost in JeroMQ's poller, the
        // race of its pull request #1022); only its interest in accepting is withdrawn
        EngineAccess.resetPollAccept(this.ioObject, this.handle);
        this.ioObject.addTimer(this.pauseMillis, PAUSE_TIMER_ID);
        this.paused = true;
    }

    private void acceptsAgain() {
        if (this.runLogged) {
            logger.info("Socket '" + this.guard.socketName() + "' accepts connections on " + this.endpoint
                    + " again, after " + this.failuresInRun + " failed accepts");
        }
        this.pauseMillis = 0;
        this.failuresInRun = 0;
        this.runLogged = false;
    }

    private static String remoteIp(SocketChannel channel) {
        try {
            SocketAddress remote = channel.getRemoteAddress();
            return (remote instanceof InetSocketAddress inet && inet.getAddress() != null)
                    ? inet.getAddress().getHostAddress() : "";
        }
        catch (IOException ex) {
            return "";
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        }
        catch (IOException ex) {
            // closing anyway
        }
    }

    @Override
    public void inEvent() {
    }

    @Override
    public void outEvent() {
    }

    @Override
    public void connectEvent() {
    }

    @Override
    public void timerEvent(int id) {
        this.paused = false;
        if (this.handle != null) {
            this.ioObject.setPollAccept(this.handle);
        }
    }

    @Override
    public String toString() {
        return "StreamListener[" + this.endpoint + "]";
    }
}
