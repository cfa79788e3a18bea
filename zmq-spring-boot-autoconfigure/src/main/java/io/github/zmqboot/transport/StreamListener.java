package io.github.zmqboot.transport;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

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
import zmq.socket.Sockets;

/**
 * A bound endpoint of one of this project's transports, owned by its socket, as JeroMQ's {@code TcpListener}: accepts
 * connections on an already bound server channel and gives each an engine and a session of its own. Ends when the
 * socket unbinds the endpoint or closes; then runs {@code onClose} (e.g. removing an ipc socket file).
 */
final class StreamListener extends Own implements IPollEvents {

    private final IOObject ioObject;

    private final SocketBase socket;

    private final String endpoint;

    private final EngineFactory engines;

    private final Runnable onClose;

    private ServerSocketChannel server;

    private Poller.Handle handle;

    StreamListener(IOThread ioThread, SocketBase socket, Options options, String endpoint, ServerSocketChannel server,
            EngineFactory engines, Runnable onClose) {
        super(ioThread, options);
        this.ioObject = new IOObject(ioThread, this);
        this.socket = socket;
        this.endpoint = endpoint;
        this.server = server;
        this.engines = engines;
        this.onClose = onClose;
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
            channel.configureBlocking(false);
        }
        catch (IOException ex) {
            this.socket.eventAcceptFailed(this.endpoint, ZError.exccode(ex));
            return;
        }
        IOThread ioThread = EngineAccess.chooseIoThread(this.socket, this.options.affinity);
        SessionBase session = Sockets.createSession(ioThread, false, this.socket, this.options, (Address) null);
        session.incSeqnum();
        launchChild(session);
        sendAttach(session, this.engines.create(channel, this.options, this.endpoint, null), false);
        this.socket.eventAccepted(this.endpoint, channel);
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
    }

    @Override
    public String toString() {
        return "StreamListener[" + this.endpoint + "]";
    }
}
