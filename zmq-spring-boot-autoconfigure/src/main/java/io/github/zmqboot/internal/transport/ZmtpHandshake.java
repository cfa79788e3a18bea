/*
 * This file is part of a copy of JeroMQ 0.6.0's zmq.io.StreamEngine (https://github.com/zeromq/jeromq), licensed
 * under the Mozilla Public License 2.0 (https://mozilla.org/MPL/2.0/), and stays under that licence. The copy is
 * split into a chain of classes, one a concern, each method's body JeroMQ's: ZmtpConnection (state, socket I/O, the
 * end of a connection) <- ZmtpMessageFlow (messages after the handshake, heartbeats) <- ZmtpHandshake (identity or
 * mechanism handshake) <- ZmtpGreeting (greeting, protocol version) <- ZmtpEngine (plug, the input and output pumps),
 * one object a connection as in JeroMQ; a method of one concern became two where it served two (the timer event,
 * the cancelling of timers). Changes in this file, each marked PATCHED:
 * the handshake timer runs until the handshake is complete (the mechanism ready, as libzmq's mechanism_ready; JeroMQ
 * stops it after the greeting), and a connection that exceeds it is counted and logged; until the handshake is
 * complete, a frame larger than a handshake command needs drops the connection before anything is allocated for it
 * (JeroMQ allocates whatever size any peer announces); it calls the session's protected methods through EngineAccess.
 */
package io.github.zmqboot.internal.transport;

import java.nio.channels.SocketChannel;

import zmq.Msg;
import zmq.Options;
import zmq.ZError;
import zmq.ZMQ;
import zmq.io.Metadata;
import zmq.io.StreamEngine.ErrorReason;
import zmq.io.mechanism.Mechanism;
import zmq.io.net.Address;
import zmq.msg.MsgAllocator;
import zmq.util.function.Function;
import zmq.util.function.Supplier;

/**
 * The third part of {@link ZmtpEngine} (see its header): the handshake after the greeting, the identity exchange of
 * ZMTP 1.0 and 2.0 or the mechanism's commands of ZMTP 3 (with ZAP), and how long and how large it may be.
 */
abstract class ZmtpHandshake extends ZmtpMessageFlow
{
    //  Indicates whether the engine is to inject a phantom
    //  subscription message into the incoming stream.
    //  Needed to support old peers.
    boolean subscriptionRequired;

    //  ID of the handshake timer
    private static final int HANDSHAKE_TIMER_ID = 0x40;

    //  True is linger timer is running.
    private boolean hasHandshakeTimer;

    /**
     * PATCHED: the largest frame accepted before the handshake is complete. The largest command a peer sends until
     * then is CURVE's INITIATE: about 250 bytes plus its metadata (socket type, a routing id of up to 255 bytes, and
     * any application metadata).
     */
    static final int HANDSHAKE_FRAME_LIMIT = 8 * 1024;

    // PATCHED: the handshake is complete: the mechanism is ready (ZMTP 3) or the peer's identity arrived (ZMTP 1/2)
    boolean handshakeComplete;

    // PATCHED: a frame announced before the handshake completed was larger than HANDSHAKE_FRAME_LIMIT
    private boolean frameRefused;
    private int refusedFrameSize;

    // PATCHED: the decoders allocate through this (see allocateFrame)
    final MsgAllocator frameAllocator = this::allocateFrame;

    ZmtpHandshake(SocketChannel fd, final Options options, final String endpoint,
            EngineFactory.Connection connection, Address peerAddress, Address selfAddress)
    {
        super(fd, options, endpoint, connection, peerAddress, selfAddress);
        Supplier<Msg> nextIdentity = this::identityMsg;
        nextMsg = nextIdentity;
        processMsg = processIdentity;
    }

    private Msg identityMsg()
    {
        Msg msg = new Msg(options.identitySize);
        if (options.identitySize > 0) {
            msg.put(options.identity, 0, options.identitySize);
        }
        nextMsg = pullMsgFromSession;
        return msg;
    }

    private boolean processIdentityMsg(Msg msg)
    {
        // PATCHED: the peer's identity completes a ZMTP 1.0/2.0 handshake
        if (frameRefused) {
            return refuseFrame();
        }
        handshakeDone();
        if (options.recvIdentity) {
            msg.setFlags(Msg.IDENTITY);
            boolean rc = EngineAccess.pushMsg(session, msg);
            assert (rc);
        }

        if (subscriptionRequired) {
            //  Inject the subscription message, so that also
            //  ZMQ 2.x peers receive published messages.
            Msg subscription = new Msg(1);
            subscription.put((byte) 1);
            boolean rc = EngineAccess.pushMsg(session, subscription);
            assert (rc);
        }

        processMsg = pushMsgToSession;

        return true;
    }

    final Function<Msg, Boolean> processIdentity = this::processIdentityMsg;

    private Msg nextHandshakeCommand()
    {
        assert (mechanism != null);

        if (mechanism.status() == Mechanism.Status.READY) {
            mechanismReady();

            return pullAndEncode.get();
        }
        else if (mechanism.status() == Mechanism.Status.ERROR) {
            errno.set(ZError.EPROTO);
            //            error(ErrorReason.PROTOCOL);
            return null;
        }
        else {
            Msg.Builder msg = new Msg.Builder();
            int rc = mechanism.nextHandshakeCommand(msg);
            if (rc == 0) {
                msg.setFlags(Msg.COMMAND);
                return msg.build();
            }
            else {
                errno.set(rc);
                return null;
            }
        }
    }

    private boolean processHandshakeCommand(Msg msg)
    {
        assert (mechanism != null);
        if (frameRefused) {
            return refuseFrame(); // PATCHED
        }

        int rc = mechanism.processHandshakeCommand(msg);
        if (rc == 0) {
            if (mechanism.status() == Mechanism.Status.READY) {
                mechanismReady();
            }
            else if (mechanism.status() == Mechanism.Status.ERROR) {
                errno.set(ZError.EPROTO);
                return false;
            }
            if (outputStopped) {
                restartOutput();
            }
        }
        else {
            errno.set(rc);
        }
        return rc == 0;
    }

    final Function<Msg, Boolean> processHandshakeCommand = this::processHandshakeCommand;
    final Supplier<Msg> nextHandshakeCommand = this::nextHandshakeCommand;

    @Override
    public void zapMsgAvailable()
    {
        assert (mechanism != null);

        int rc = mechanism.zapMsgAvailable();
        if (rc == -1) {
            error(ErrorReason.PROTOCOL);
            return;
        }
        if (inputStopped) {
            restartInput();
        }
        if (outputStopped) {
            restartOutput();
        }
    }

    private void mechanismReady()
    {
        handshakeDone(); // PATCHED
        if (options.heartbeatInterval > 0) {
            ioObject.addTimer(options.heartbeatInterval, HEARTBEAT_IVL_TIMER_ID);
            hasHeartbeatTimer = true;
        }

        if (options.recvIdentity) {
            Msg identity = mechanism.peerIdentity();
            boolean rc = EngineAccess.pushMsg(session, identity);
            if (!rc && errno.is(ZError.EAGAIN)) {
                // If the write is failing at this stage with
                // an EAGAIN the pipe must be being shut down,
                // so we can just bail out of the identity set.
                return;
            }
            assert (rc);
            session.flush();
        }

        nextMsg = pullAndEncode;
        processMsg = writeCredential;

        //  Compile metadata.
        assert (metadata == null);

        metadata = new Metadata();

        //  If we have a peer_address, add it to metadata
        if (peerAddress != null && !peerAddress.address().isEmpty()) {
            metadata.set(Metadata.PEER_ADDRESS, peerAddress.address());
        }
        //  If we have a local_address, add it to metadata
        if (options.selfAddressPropertyName != null && ! options.selfAddressPropertyName.isEmpty()
            && selfAddress != null && !selfAddress.address().isEmpty()) {
            metadata.put(options.selfAddressPropertyName, selfAddress.address());
        }
        //  Add ZAP properties.
        metadata.set(mechanism.zapProperties);

        //  Add ZMTP properties.
        metadata.set(mechanism.zmtpProperties);

        if (metadata.isEmpty()) {
            metadata = null;
        }

    }

    // PATCHED: the handshake is complete: stop its timer, accept frames of any size the socket allows
    private void handshakeDone()
    {
        if (handshakeComplete) {
            return;
        }
        handshakeComplete = true;
        if (hasHandshakeTimer) {
            ioObject.cancelTimer(HANDSHAKE_TIMER_ID);
            hasHandshakeTimer = false;
        }
        if (mechanism != null) {
            socket.eventHandshakeSucceeded(endpoint, 0);
        }
    }

    // PATCHED: what the decoders allocate a frame with. Until the handshake is complete, a size above
    // HANDSHAKE_FRAME_LIMIT (or negative) gets an empty message instead, which the engine refuses as soon as the
    // decoder hands it over (refuseFrame): nothing of the announced size is ever allocated.
    private Msg allocateFrame(int size)
    {
        if (!handshakeComplete && (size < 0 || size > HANDSHAKE_FRAME_LIMIT)) {
            frameRefused = true;
            refusedFrameSize = size;
            return new Msg(0);
        }
        return options.allocator.allocate(size);
    }

    // PATCHED: drops the connection of a frame allocateFrame refused (counted and logged)
    private boolean refuseFrame()
    {
        connection.guard().oversizedHandshakeFrame(socket, connection.connecting(), remoteIp, endpoint, refusedFrameSize,
                HANDSHAKE_FRAME_LIMIT);
        socket.eventHandshakeFailedProtocol(endpoint, ZMQ.ZMQ_PROTOCOL_ERROR_ZMTP_UNSPECIFIED);
        errno.set(ZError.EPROTO);
        return false;
    }

    final void setHandshakeTimer()
    {
        assert (!hasHandshakeTimer);

        if (!options.rawSocket && options.handshakeIvl > 0) {
            ioObject.addTimer(options.handshakeIvl, HANDSHAKE_TIMER_ID);
            hasHandshakeTimer = true;
        }
    }

    @Override
    public void timerEvent(int id)
    {
        if (id == HANDSHAKE_TIMER_ID) {
            hasHandshakeTimer = false;
            // PATCHED: counted and logged, with the event libzmq raises for a handshake that failed without detail
            connection.guard().handshakeTimedOut(socket, connection.connecting(), remoteIp, endpoint,
                    options.handshakeIvl);
            socket.eventHandshakeFailedNoDetail(endpoint, ZError.ETIMEDOUT);
            //  handshake timer expired before handshake completed, so engine fails
            error(ErrorReason.TIMEOUT);
        }
        else {
            heartbeatTimerEvent(id);
        }
    }

    @Override
    void cancelTimers()
    {
        if (hasHandshakeTimer) {
            ioObject.cancelTimer(HANDSHAKE_TIMER_ID);
            hasHandshakeTimer = false;
        }
        super.cancelTimers();
    }
}
