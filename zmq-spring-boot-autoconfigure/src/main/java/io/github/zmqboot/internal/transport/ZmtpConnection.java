/*
 * This file is part of a copy of JeroMQ 0.6.0's zmq.io.StreamEngine (https://github.com/zeromq/jeromq), licensed
 * under the Mozilla Public License 2.0 (https://mozilla.org/MPL/2.0/), and stays under that licence. The copy is
 * split into a chain of classes, one a concern, each method's body JeroMQ's: ZmtpConnection (state, socket I/O, the
 * end of a connection) <- ZmtpMessageFlow (messages after the handshake, heartbeats) <- ZmtpHandshake (identity or
 * mechanism handshake) <- ZmtpGreeting (greeting, protocol version) <- ZmtpEngine (plug, the input and output pumps),
 * one object a connection as in JeroMQ; a method of one concern became two where it served two (the timer event,
 * the cancelling of timers). Changes in this file, each marked PATCHED:
 * it takes any SocketChannel (JeroMQ's constructor throws for a Unix domain socket, whose address is not an IP
 * address) with the peer's address given by its transport; it runs a callback that starts the next connection attempt
 * when a connection of a connecting side is lost, and one when the engine ends; it reports the error to the session
 * through EngineAccess (which calls the session's protected methods).
 */
package io.github.zmqboot.internal.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

import zmq.Msg;
import zmq.Options;
import zmq.SocketBase;
import zmq.ZError;
import zmq.io.IEngine;
import zmq.io.IOObject;
import zmq.io.Metadata;
import zmq.io.SessionBase;
import zmq.io.StreamEngine.ErrorReason;
import zmq.io.coder.IDecoder;
import zmq.io.coder.IEncoder;
import zmq.io.mechanism.Mechanism;
import zmq.io.net.Address;
import zmq.poll.IPollEvents;
import zmq.poll.Poller;
import zmq.util.Errno;
import zmq.util.Utils;
import zmq.util.ValueReference;
import zmq.util.function.Function;
import zmq.util.function.Supplier;

/**
 * The first part of {@link ZmtpEngine} (see its header): a connection's state, reading and writing its channel, and
 * the end of the connection (error, unplug, destroy).
 */
abstract class ZmtpConnection implements IEngine, IPollEvents
{
    IOObject ioObject;

    //  Underlying socket.
    SocketChannel fd;

    Poller.Handle handle;

    ByteBuffer inpos;
    int insize;
    IDecoder decoder;

    final ValueReference<ByteBuffer> outpos;
    int outsize;
    IEncoder encoder;

    Metadata metadata;

    //  When true, we are still trying to determine whether
    //  the peer is using versioned protocol, and if so, which
    //  version.  When false, normal message flow has started.
    boolean handshaking;

    //  The session this engine is attached to.
    SessionBase session;

    final Options options;

    // String representation of endpoint
    final String endpoint;

    boolean plugged;

    Supplier<Msg> nextMsg;
    Function<Msg, Boolean> processMsg;

    boolean ioError;

    Mechanism mechanism;

    //  True if the engine couldn't consume the last decoded message.
    boolean inputStopped;

    //  True if the engine doesn't have any message to encode.
    boolean outputStopped;

    // Socket
    SocketBase socket;

    final Address peerAddress;
    final Address selfAddress;

    final Errno errno;

    // PATCHED: launches the next connection attempt of a connecting side before the session hears of the error
    private final Runnable onConnectionLost;

    // PATCHED: who made the connection (connecting or accepted), the socket's guard, what to run when the engine ends
    final EngineFactory.Connection connection;
    private Runnable onClosed;

    // PATCHED: the remote IP address without the port (empty for ipc), for the guard's logs
    final String remoteIp;

    ZmtpConnection(SocketChannel fd, final Options options, final String endpoint,
            EngineFactory.Connection connection, Address peerAddress, Address selfAddress)
    {
        this.errno = options.errno;
        this.fd = fd;
        this.handshaking = true;
        this.options = options;
        this.endpoint = endpoint;

        outpos = new ValueReference<>();

        //  Put the socket into non-blocking mode.
        try {
            Utils.unblockSocket(this.fd);
        }
        catch (IOException e) {
            throw new ZError.IOException(e);
        }

        // PATCHED: JeroMQ's Utils.getPeerIpAddress throws for a Unix domain socket: the transport gives the
        // addresses (tcp: the IP addresses; ipc: empty, as libzmq's ZAP "Address" of an ipc connection)
        this.peerAddress = peerAddress;
        this.selfAddress = selfAddress;
        this.connection = connection;
        this.onConnectionLost = connection.onConnectionLost();
        this.onClosed = connection.onClosed();
        this.remoteIp = peerAddress.address().isEmpty() ? "" : peerAddress.host().replace("[", "").replace("]", "");
    }

    public void destroy()
    {
        assert (!plugged);

        if (fd != null) {
            try {
                fd.close();
            }
            catch (IOException e) {
                assert (false);
            }
            fd = null;
        }
        if (encoder != null) {
            encoder.destroy();
        }
        if (decoder != null) {
            decoder.destroy();
        }
        if (mechanism != null) {
            mechanism.destroy();
        }
        // PATCHED: tell who made the connection that it ended (once)
        if (onClosed != null) {
            Runnable closed = onClosed;
            onClosed = null;
            closed.run();
        }
    }

    // the timers of the parts above: each cancels its own
    abstract void cancelTimers();

    private void unplug()
    {
        assert (plugged);
        plugged = false;

        //  Cancel all timers.
        cancelTimers();

        if (!ioError) {
            //  Cancel all fd subscriptions.
            ioObject.removeHandle(handle);
            handle = null;
        }

        //  Disconnect from I/O threads poller object.
        ioObject.unplug();

        session = null;
    }

    @Override
    public void terminate()
    {
        unplug();
        destroy();
    }

    //  Function to handle network disconnections.
    final void error(ErrorReason error)
    {
        if (options.rawSocket) {
            //  For raw sockets, send a final 0-length message to the application
            //  so that it knows the peer has been disconnected.
            Msg terminator = new Msg();
            processMsg.apply(terminator);
        }
        assert (session != null);
        socket.eventDisconnected(endpoint, fd);
        session.flush();
        if (onConnectionLost != null && error != ErrorReason.PROTOCOL) {
            onConnectionLost.run(); // PATCHED: the session's own reconnect knows no transport of this project's
        }
        // PATCHED: through EngineAccess, which detaches a connecting ZMQ_IMMEDIATE session's pipe as the session's
        // own reconnect would (it cannot for this project's transports)
        EngineAccess.engineError(session, options, connection.connecting(), !handshaking && (mechanism == null ||
                mechanism.status() != Mechanism.Status.HANDSHAKING), error);
        unplug();
        destroy();
    }

    //  Writes data to the socket. Returns the number of bytes actually
    //  written (even zero is to be considered to be a success). In case
    //  of error or orderly shutdown by the other peer -1 is returned.
    final int write(ByteBuffer outbuf)
    {
        int nbytes;
        try {
            nbytes = fd.write(outbuf);
            if (nbytes == 0) {
                errno.set(ZError.EAGAIN);
            }
        }
        catch (IOException e) {
            errno.set(ZError.ENOTCONN);
            nbytes = -1;
        }

        return nbytes;
    }

    //  Reads data from the socket (up to 'size' bytes).
    //  Returns the number of bytes actually read or -1 on error.
    //  Zero indicates the peer has closed the connection.
    final int read(ByteBuffer buf)
    {
        int nbytes;
        try {
            nbytes = fd.read(buf);
            if (nbytes == -1) {
                errno.set(ZError.ENOTCONN);
            }
            else if (nbytes == 0) {
                if (!fd.isBlocking()) {
                    //  If not a single byte can be read from the socket in non-blocking mode
                    //  we'll get an error (this may happen during the speculative read).

                    //  Several errors are OK. When speculative read is being done we may not
                    //  be able to read a single byte from the socket. Also, SIGSTOP issued
                    //  by a debugging tool can result in EINTR error.
                    errno.set(ZError.EAGAIN);
                    nbytes = -1;
                }
            }
        }
        catch (IOException e) {
            errno.set(ZError.ENOTCONN);
            nbytes = -1;
        }

        return nbytes;
    }

    @Override
    public String getEndPoint()
    {
        return endpoint;
    }
}
