/*
 * This file is part of a copy of JeroMQ 0.6.0's zmq.io.StreamEngine (https://github.com/zeromq/jeromq), licensed
 * under the Mozilla Public License 2.0 (https://mozilla.org/MPL/2.0/), and stays under that licence. The copy is
 * split into a chain of classes, one a concern, each method's body JeroMQ's: ZmtpConnection (state, socket I/O, the
 * end of a connection) <- ZmtpMessageFlow (messages after the handshake, heartbeats) <- ZmtpHandshake (identity or
 * mechanism handshake) <- ZmtpGreeting (greeting, protocol version) <- ZmtpEngine (plug, the input and output pumps),
 * one object a connection as in JeroMQ; a method of one concern became two where it served two (the timer event,
 * the cancelling of timers). Changes in this file, each marked PATCHED:
 * it calls the session's protected methods through EngineAccess.
 */
package io.github.zmqboot.internal.transport;

import java.nio.channels.SocketChannel;
import java.util.Arrays;

import zmq.Msg;
import zmq.Options;
import zmq.ZError;
import zmq.io.Msgs;
import zmq.io.StreamEngine.ErrorReason;
import zmq.io.net.Address;
import zmq.util.Blob;
import zmq.util.Wire;
import zmq.util.function.Function;
import zmq.util.function.Supplier;

/**
 * The second part of {@link ZmtpEngine} (see its header): the messages after the handshake, between the session and
 * the coders (through the mechanism), and the ZMTP 3.1 heartbeats (PING, PONG and their timers).
 */
abstract class ZmtpMessageFlow extends ZmtpConnection
{
    private final class ProducePongMessage implements Supplier<Msg>
    {
        private final byte[] pingContext;

        public ProducePongMessage(byte[] pingContext)
        {
            assert (pingContext != null);
            this.pingContext = pingContext;
        }

        @Override
        public Msg get()
        {
            return producePongMessage(pingContext);
        }
    }

    private static final int HEARTBEAT_TTL_TIMER_ID = 0x80;
    static final int HEARTBEAT_IVL_TIMER_ID = 0x81;
    private static final int HEARTBEAT_TIMEOUT_TIMER_ID = 0x82;

    private boolean hasTtlTimer;
    private boolean hasTimeoutTimer;
    boolean hasHeartbeatTimer;
    private final int heartbeatTimeout;
    private final byte[] heartbeatContext;

    ZmtpMessageFlow(SocketChannel fd, final Options options, final String endpoint,
            EngineFactory.Connection connection, Address peerAddress, Address selfAddress)
    {
        super(fd, options, endpoint, connection, peerAddress, selfAddress);

        heartbeatTimeout = heartbeatTimeout();
        heartbeatContext = Arrays.copyOf(options.heartbeatContext, options.heartbeatContext.length);
    }

    private int heartbeatTimeout()
    {
        int timeout = 0;
        if (options.heartbeatInterval > 0) {
            timeout = options.heartbeatTimeout;
            if (timeout == -1) {
                timeout = options.heartbeatInterval;
            }
        }
        return timeout;
    }

    private Msg pullMsgFromSession()
    {
        return EngineAccess.pullMsg(session);
    }

    private boolean pushMsgToSession(Msg msg)
    {
        return EngineAccess.pushMsg(session, msg);
    }

    final Function<Msg, Boolean> pushMsgToSession = this::pushMsgToSession;
    final Supplier<Msg> pullMsgFromSession = this::pullMsgFromSession;

    final boolean pushRawMsgToSession(Msg msg)
    {
        if (metadata != null && !metadata.equals(msg.getMetadata())) {
            msg.setMetadata(metadata);
        }
        return pushMsgToSession(msg);
    }

    final Function<Msg, Boolean> pushRawMsgToSession = this::pushRawMsgToSession;

    private boolean writeCredential(Msg msg)
    {
        assert (mechanism != null);
        assert (session != null);

        Blob credential = mechanism.getUserId();
        if (credential != null && credential.size() > 0) {
            Msg cred = new Msg(credential.size());
            cred.put(credential.data(), 0, credential.size());
            cred.setFlags(Msg.CREDENTIAL);

            boolean rc = EngineAccess.pushMsg(session, cred);
            if (!rc) {
                return false;
            }
        }
        processMsg = decodeAndPush;
        return decodeAndPush.apply(msg);
    }

    final Function<Msg, Boolean> writeCredential = this::writeCredential;

    private Msg pullAndEncode()
    {
        assert (mechanism != null);

        Msg msg = EngineAccess.pullMsg(session);
        if (msg == null) {
            return null;

        }
        msg = mechanism.encode(msg);
        return msg;
    }

    final Supplier<Msg> pullAndEncode = this::pullAndEncode;

    private boolean decodeAndPush(Msg msg)
    {
        assert (mechanism != null);

        msg = mechanism.decode(msg);
        if (msg == null) {
            return false;
        }
        if (hasTimeoutTimer) {
            hasTimeoutTimer = false;
            ioObject.cancelTimer(HEARTBEAT_TIMEOUT_TIMER_ID);
        }
        if (hasTtlTimer) {
            hasTtlTimer = false;
            ioObject.cancelTimer(HEARTBEAT_TTL_TIMER_ID);
        }
        if (msg.isCommand()) {
            processCommand(msg);
        }

        if (metadata != null) {
            msg.setMetadata(metadata);
        }
        boolean rc = EngineAccess.pushMsg(session, msg);
        if (!rc) {
            if (errno.is(ZError.EAGAIN)) {
                processMsg = pushOneThenDecodeAndPush;
            }
            return false;
        }
        return true;
    }

    private final Function<Msg, Boolean> decodeAndPush = this::decodeAndPush;

    private boolean pushOneThenDecodeAndPush(Msg msg)
    {
        boolean rc = EngineAccess.pushMsg(session, msg);
        if (rc) {
            processMsg = decodeAndPush;
        }
        return rc;
    }

    private final Function<Msg, Boolean> pushOneThenDecodeAndPush = this::pushOneThenDecodeAndPush;

    private final Supplier<Msg> producePingMessage = this::producePingMessage;

    @Override
    void cancelTimers()
    {
        if (hasTtlTimer) {
            ioObject.cancelTimer(HEARTBEAT_TTL_TIMER_ID);
            hasTtlTimer = false;
        }

        if (hasTimeoutTimer) {
            ioObject.cancelTimer(HEARTBEAT_TIMEOUT_TIMER_ID);
            hasTimeoutTimer = false;
        }

        if (hasHeartbeatTimer) {
            ioObject.cancelTimer(HEARTBEAT_IVL_TIMER_ID);
            hasHeartbeatTimer = false;
        }
    }

    // the heartbeat timers' part of timerEvent (see ZmtpHandshake)
    final void heartbeatTimerEvent(int id)
    {
        if (id == HEARTBEAT_IVL_TIMER_ID) {
            nextMsg = producePingMessage;
            outEvent();
            ioObject.addTimer(options.heartbeatInterval, HEARTBEAT_IVL_TIMER_ID);
        }
        else if (id == HEARTBEAT_TTL_TIMER_ID) {
            hasTtlTimer = false;
            error(ErrorReason.TIMEOUT);
        }
        else if (id == HEARTBEAT_TIMEOUT_TIMER_ID) {
            hasTimeoutTimer = false;
            error(ErrorReason.TIMEOUT);
        }
        else {
            // There are no other valid timer ids!
            assert (false);
        }
    }

    private Msg producePingMessage()
    {
        assert (mechanism != null);

        Msg msg = new Msg(7 + heartbeatContext.length);
        msg.setFlags(Msg.COMMAND);
        msg.putShortString("PING");
        Wire.putUInt16(msg, options.heartbeatTtl);
        msg.put(heartbeatContext);

        msg = mechanism.encode(msg);

        nextMsg = pullAndEncode;

        if (!hasTimeoutTimer && heartbeatTimeout > 0) {
            ioObject.addTimer(heartbeatTimeout, HEARTBEAT_TIMEOUT_TIMER_ID);
            hasTimeoutTimer = true;
        }

        return msg;
    }

    private Msg producePongMessage(byte[] pingContext)
    {
        assert (mechanism != null);
        assert (pingContext != null);

        Msg msg = new Msg(5 + pingContext.length);
        msg.setFlags(Msg.COMMAND);
        msg.putShortString("PONG");
        msg.put(pingContext);

        msg = mechanism.encode(msg);

        nextMsg = pullAndEncode;

        return msg;
    }

    private boolean processCommand(Msg msg)
    {
        if (Msgs.startsWith(msg, "PING", true)) {
            return processHeartbeatMessage(msg);
        }
        return false;
    }

    private boolean processHeartbeatMessage(Msg msg)
    {
        // Get the remote heartbeat TTL to setup the timer
        int remoteHeartbeatTtl = msg.getShort(5);

        // The remote heartbeat is in 10ths of a second
        // so we multiply it by 100 to get the timer interval in ms.
        remoteHeartbeatTtl *= 100;
        if (!hasTtlTimer && remoteHeartbeatTtl > 0) {
            ioObject.addTimer(remoteHeartbeatTtl, HEARTBEAT_TTL_TIMER_ID);
            hasTtlTimer = true;
        }
        // extract the ping context that will be sent back inside the pong message
        int remaining = msg.size() - 7;
        //  As per ZMTP 3.1 the PING command might contain an up to 16 bytes
        //  context which needs to be PONGed back, so build the pong message
        //  here and store it. Truncate it if it's too long.
        //  Given the engine goes straight to outEvent(), sequential PINGs will
        //  not be a problem.
        if (remaining > 16) {
            remaining = 16;
        }
        final byte[] pingContext = new byte[remaining];
        msg.getBytes(7, pingContext, 0, remaining);

        nextMsg = new ProducePongMessage(pingContext);
        outEvent();

        return true;
    }
}
