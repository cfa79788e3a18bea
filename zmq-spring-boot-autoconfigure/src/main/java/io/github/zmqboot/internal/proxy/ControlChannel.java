package io.github.zmqboot.internal.proxy;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import io.github.zmqboot.core.ProxyStatistics;
import io.github.zmqboot.internal.engine.ManagedSocket;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.zeromq.SocketType;
import zmq.Msg;
import zmq.SocketBase;
import zmq.ZError;
import zmq.ZMQ;
import zmq.io.Metadata;

/**
 * The control socket of a proxy (REP or PAIR), read and answered the way libzmq's {@code zmq_proxy_steerable}
 * does: {@code STATISTICS} is answered with the eight counters on either type; a REP socket answers every other
 * message, known command or not, with one empty frame; a PAIR socket answers nothing else. An unknown command is
 * ignored, and so is a command left out of {@code allowed-commands}. The command is a message's first frame; further frames are read and ignored. Never blocks: a reply the
 * socket cannot take is dropped. Only the proxy's thread uses this class.
 */
final class ControlChannel {

    private static final Log logger = LogFactory.getLog(ControlChannel.class);

    private final String proxyName;

    private final ManagedSocket socket;

    private final SocketBase base;

    private final boolean alwaysReplies;

    private final Set<ControlProtocol.Command> obeyed;

    private long unknownCommands;

    /** @param obeyed the commands this socket obeys; any other is answered as an unknown command is */
    ControlChannel(String proxyName, ManagedSocket socket, Set<ControlProtocol.Command> obeyed) {
        this.proxyName = proxyName;
        this.socket = socket;
        this.base = socket.base();
        this.alwaysReplies = socket.type() == SocketType.REP;
        this.obeyed = obeyed;
    }

    /** The control socket. */
    ManagedSocket socket() {
        return this.socket;
    }

    /**
     * Reads the next command message, if one is queued.
     *
     * @return the message, or null when none is queued
     */
    Incoming receive() {
        Msg first = this.base.recv(ZMQ.ZMQ_DONTWAIT, this.socket.cancellation());
        if (first == null) {
            if (this.base.errno() == ZError.EAGAIN) {
                return null;
            }
            throw this.socket.lastError("control receive");
        }
        boolean more = first.hasMore();
        while (more) {
            Msg next = this.base.recv(ZMQ.ZMQ_DONTWAIT, this.socket.cancellation());
            if (next == null) {
                throw this.socket.lastError("control receive");
            }
            more = next.hasMore();
        }
        byte[] frame = first.data() != null ? first.data() : new byte[0];
        ControlProtocol.Command command = ControlProtocol.parse(frame);
        if (command == null) {
            unknown(frame);
        }
        Metadata metadata = first.getMetadata();
        return new Incoming(command, command != null && this.obeyed.contains(command),
                metadata != null ? metadata.get(Metadata.PEER_ADDRESS) : null);
    }

    /** Answers a message read by {@link #receive()} as libzmq does; {@code statistics} for {@code STATISTICS}. */
    void answer(Incoming incoming, ProxyStatistics statistics) {
        if (incoming.obeyed() && incoming.command() == ControlProtocol.Command.STATISTICS) {
            byte[][] frames = ControlProtocol.statisticsFrames(statistics);
            for (int i = 0; i < frames.length; i++) {
                if (!send(frames[i], i < frames.length - 1)) {
                    return;
                }
            }
        }
        else if (this.alwaysReplies) {
            send(ControlProtocol.EMPTY_REPLY, false);
        }
    }

    private boolean send(byte[] frame, boolean more) {
        int flags = more ? ZMQ.ZMQ_SNDMORE | ZMQ.ZMQ_DONTWAIT : ZMQ.ZMQ_DONTWAIT;
        if (this.base.send(new Msg(frame), flags, this.socket.cancellation())) {
            return true;
        }
        if (this.base.errno() != ZError.EAGAIN) {
            throw this.socket.lastError("control reply");
        }
        logger.debug("Proxy '" + this.proxyName + "': the control socket cannot take a reply now; it is dropped");
        return false;
    }

    private void unknown(byte[] frame) {
        this.unknownCommands++;
        String shown = new String(frame, 0, Math.min(frame.length, 32), StandardCharsets.US_ASCII);
        if (this.unknownCommands == 1) {
            logger.warn("Proxy '" + this.proxyName + "' ignored an unknown control command '" + shown
                    + "' (commands: PAUSE, RESUME, TERMINATE, STATISTICS); later ones are logged at debug level");
        }
        else if (logger.isDebugEnabled()) {
            logger.debug("Proxy '" + this.proxyName + "' ignored an unknown control command '" + shown + "'");
        }
    }

    /**
     * A message read from the control socket.
     *
     * @param command the command it carries, or null when it is none
     * @param obeyed whether the command is one this socket obeys (false for none)
     * @param peerAddress the sender's address (the message's {@code Peer-Address} property), or null (e.g. inproc)
     */
    record Incoming(ControlProtocol.Command command, boolean obeyed, String peerAddress) {
    }
}
