package io.github.zmqboot.internal.proxy;

import java.util.concurrent.atomic.AtomicBoolean;

import io.github.zmqboot.internal.engine.ManagedSocket;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.zeromq.SocketType;
import zmq.Msg;
import zmq.SocketBase;
import zmq.ZError;
import zmq.ZMQ;

/**
 * One direction of a proxy (frontend to backend, or back): moves messages in bursts, as libzmq's proxy does,
 * instead of one message per poll round as JeroMQ's {@code ZMQ.proxy} does.
 * <p>
 * A burst drains the source with non-blocking receives, up to a cap of whole messages, and sends every part on with
 * non-blocking sends, keeping multipart messages whole (the MORE flag). When the destination would block (its
 * high-water mark, no peer) the part in hand is held, the burst ends, and the direction then waits in the poller for
 * the destination to become writable rather than for more input: the proxy never blocks. Every part is counted when
 * received and when the destination accepted it ({@code STATISTICS} counting), and copied to the capture socket
 * when there is one.
 * <p>
 * A ROUTER destination (the proxy sets {@code ROUTER_MANDATORY} on it) is the exception: it addresses one peer per
 * message, so holding a message for one full peer ({@code EAGAIN}) would stall every other; such a message, and one
 * for a peer that is gone ({@code EHOSTUNREACH}), is dropped whole and counted on the destination's side
 * ({@link TrafficCounters.Side#droppedFull()}, {@link TrafficCounters.Side#droppedUnreachable()}), the first of each
 * run logged. Only the proxy's thread uses this class.
 */
final class MessagePump {

    private static final Log logger = LogFactory.getLog(MessagePump.class);

    private final String description;

    private final ManagedSocket source;

    private final ManagedSocket destination;

    private final SocketBase from;

    private final SocketBase to;

    private final AtomicBoolean fromCanceled;

    private final AtomicBoolean toCanceled;

    private final TrafficCounters.Side received;

    private final TrafficCounters.Side sent;

    private final CaptureTap capture;

    /** A ROUTER reports itself writable even when the pipe to one client is full: such a wait is a retry timer. */
    private final boolean destinationAlwaysWritable;

    /** A ROUTER destination: a message its addressed peer cannot take is dropped, never held. */
    private final boolean dropsWhenFull;

    /** A part received but not yet delivered, or null. */
    private Msg held;

    private boolean heldMore;

    /** The capture copy of {@link #held} still to send, or null. */
    private Msg heldCopy;

    /** Whether {@link #held} already went to the destination (only its capture copy is pending). */
    private boolean heldForwarded;

    /** Whether the last part received had the MORE flag: the rest of its message is still to come. */
    private boolean midMessage;

    /** The destination refused the current message: its remaining parts are dropped. */
    private boolean discarding;

    private long droppedMessages;

    private boolean burstFull;

    /** Whole messages this direction took from its source and passed on (or dropped), this run. */
    private long wholeMessages;

    MessagePump(String description, ManagedSocket source, TrafficCounters.Side received, ManagedSocket destination,
            TrafficCounters.Side sent, CaptureTap capture) {
        this.description = description;
        this.source = source;
        this.destination = destination;
        this.from = source.base();
        this.to = destination.base();
        this.fromCanceled = source.cancellation();
        this.toCanceled = destination.cancellation();
        this.received = received;
        this.sent = sent;
        this.capture = capture;
        this.destinationAlwaysWritable = destination.type() == SocketType.ROUTER;
        this.dropsWhenFull = destination.type() == SocketType.ROUTER;
    }

    /**
     * Moves at most {@code burst} whole messages from the source to the destination without blocking.
     *
     * @return the number of message parts delivered (0 when nothing could move)
     * @throws io.github.zmqboot.core.ZmqException when a socket fails (or was closed under the proxy)
     */
    int pump(int burst) {
        return pump(burst, true);
    }

    /**
     * Moves at most {@code burst} whole messages; with {@code newMessages} false only the rest of the message in
     * hand (a held part, and the parts still to come of a message partly passed on), none after it.
     *
     * @return the number of message parts delivered
     */
    int pump(int burst, boolean newMessages) {
        int parts = 0;
        int messages = 0;
        if (this.held != null) {
            Msg part = this.held;
            Msg copy = this.heldCopy;
            boolean more = this.heldMore;
            boolean forwarded = this.heldForwarded;
            this.held = null;
            this.heldCopy = null;
            if (!deliver(part, more, copy, forwarded)) {
                this.burstFull = false;
                return 0;
            }
            parts++;
            if (!more) {
                messages++;
                this.wholeMessages++;
            }
        }
        while (messages < burst) {
            if (!this.midMessage && (!newMessages || this.capture != null && this.capture.heldByOther(this))) {
                break;
            }
            Msg part = this.from.recv(ZMQ.ZMQ_DONTWAIT, this.fromCanceled);
            if (part == null) {
                if (this.from.errno() == ZError.EAGAIN) {
                    break;
                }
                throw this.source.lastError("receive");
            }
            boolean more = part.hasMore();
            this.midMessage = more;
            this.received.received(part.size());
            Msg copy = this.capture != null ? new Msg(part) : null;
            if (!deliver(part, more, copy, false)) {
                break;
            }
            parts++;
            if (!more) {
                messages++;
                this.wholeMessages++;
            }
        }
        this.burstFull = messages >= burst;
        return parts;
    }

    /** Whole messages this direction took from its source and passed on (or dropped). */
    long wholeMessages() {
        return this.wholeMessages;
    }

    /** Whether this direction has a message in hand: a held part, or a message partly passed on. */
    boolean inMessage() {
        return this.held != null || this.midMessage;
    }

    /** Whether the last {@link #pump(int)} stopped at its cap, with more input likely waiting. */
    boolean burstFull() {
        return this.burstFull;
    }

    /**
     * Tells {@code poller} what this direction waits for before it can move again: input on its source, room on its
     * destination or capture socket for a held part, or nothing (when only a timer or the other direction can help).
     */
    void wantEvents(ProxyPoller poller) {
        if (this.held != null) {
            if (this.heldForwarded) {
                poller.want(this.capture.base(), ZMQ.ZMQ_POLLOUT);
            }
            else if (!this.destinationAlwaysWritable) {
                poller.want(this.to, ZMQ.ZMQ_POLLOUT);
            }
        }
        else if (this.midMessage || this.capture == null || !this.capture.heldByOther(this)) {
            poller.want(this.from, ZMQ.ZMQ_POLLIN);
        }
    }

    /** Whether a held part must be retried on a timer (its destination cannot signal writability). */
    boolean needsRetryTimer() {
        return this.held != null && !this.heldForwarded && this.destinationAlwaysWritable;
    }

    /** Sends one part on (unless already forwarded) and its capture copy; holds it when a socket would block. */
    private boolean deliver(Msg part, boolean more, Msg copy, boolean forwarded) {
        if (!forwarded && !this.discarding) {
            int size = part.size();
            if (this.to.send(part, more ? ZMQ.ZMQ_SNDMORE | ZMQ.ZMQ_DONTWAIT : ZMQ.ZMQ_DONTWAIT, this.toCanceled)) {
                this.sent.sent(size);
            }
            else if (this.to.errno() == ZError.EAGAIN && !this.dropsWhenFull) {
                hold(part, more, copy, false);
                return false;
            }
            else if (this.to.errno() == ZError.EAGAIN) {
                this.sent.droppedFull();
                dropped("its peer's queue is full (EAGAIN: a client that does not read its replies?)");
                this.discarding = true;
            }
            else if (this.to.errno() == ZError.EHOSTUNREACH) {
                this.sent.droppedUnreachable();
                dropped("no such peer (EHOSTUNREACH: a client that is gone)");
                this.discarding = true;
            }
            else {
                throw this.destination.lastError("send");
            }
        }
        if (copy != null && !this.capture.send(this, copy, more)) {
            hold(part, more, copy, true);
            return false;
        }
        if (!more) {
            this.discarding = false;
        }
        return true;
    }

    private void hold(Msg part, boolean more, Msg copy, boolean forwarded) {
        this.held = part;
        this.heldMore = more;
        this.heldCopy = copy;
        this.heldForwarded = forwarded;
    }

    private void dropped(String reason) {
        this.droppedMessages++;
        if (this.droppedMessages == 1) {
            logger.warn("Proxy " + this.description + ": '" + this.destination.name() + "' refused a message, "
                    + reason + "; it is dropped and counted (zmq.proxy.dropped; later drops are logged at debug level)");
        }
        else if (logger.isDebugEnabled()) {
            logger.debug("Proxy " + this.description + ": '" + this.destination.name() + "' refused a message, "
                    + reason + "; dropped");
        }
    }

    @Override
    public String toString() {
        return this.description;
    }
}
