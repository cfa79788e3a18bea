package io.github.zmqboot.internal.proxy;

import io.github.zmqboot.internal.engine.ManagedSocket;
import zmq.Msg;
import zmq.SocketBase;
import zmq.ZMQ;
import zmq.ZError;

/**
 * The capture socket of a proxy, shared by both directions: each forwarded message part is copied here, as
 * {@code zmq_proxy} does. Sends never block the proxy's thread: when the capture socket cannot take a copy (a
 * DEALER, PUSH or PAIR without a reader, or at its high-water mark) the direction waits for it in the poller, so
 * capture back-pressure holds forwarding as in libzmq while steering keeps working.
 * <p>
 * A multipart copy must not be interleaved with the other direction's copies: the direction that sent a part with
 * the MORE flag owns the tap until it sends the last part. Only the proxy's thread uses this class.
 */
final class CaptureTap {

    private final ManagedSocket socket;

    private final SocketBase base;

    private Object owner;

    CaptureTap(ManagedSocket socket) {
        this.socket = socket;
        this.base = socket.base();
    }

    /** Whether a direction other than {@code direction} is in the middle of a multipart copy. */
    boolean heldByOther(Object direction) {
        return this.owner != null && this.owner != direction;
    }

    /**
     * Sends the copy of one part.
     *
     * @return false when the capture socket cannot take it now (try again when it reports room)
     */
    boolean send(Object direction, Msg copy, boolean more) {
        if (!this.base.send(copy, more ? ZMQ.ZMQ_SNDMORE | ZMQ.ZMQ_DONTWAIT : ZMQ.ZMQ_DONTWAIT,
                this.socket.cancellation())) {
            if (this.base.errno() == ZError.EAGAIN) {
                return false;
            }
            throw this.socket.lastError("capture");
        }
        this.owner = more ? direction : null;
        return true;
    }

    /** The engine socket, to wait for room on it ({@code POLLOUT}) when it could not take a copy. */
    SocketBase base() {
        return this.base;
    }
}
