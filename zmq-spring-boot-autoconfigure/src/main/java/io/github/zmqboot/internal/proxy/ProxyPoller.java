package io.github.zmqboot.internal.proxy;

import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Arrays;
import java.util.List;

import io.github.zmqboot.internal.engine.PhantomSignal;
import zmq.SocketBase;
import zmq.ZMQ;

/**
 * The one blocking wait of a proxy's thread: until one of its sockets has what the proxy waits for (input, or room
 * for a held message), or a timeout.
 * <p>
 * Each engine socket signals changes of its state through a notification channel (its mailbox); these are
 * registered once with a selector of the proxy's own. A wait first asks each socket of interest for its events
 * ({@code ZMQ_EVENTS}, which also processes the notifications already queued) and returns at once when one is
 * ready; otherwise it blocks in one {@code select}, which any later state change ends. Afterwards every socket that
 * was signalled processes its notifications, wanted or not (JeroMQ writes one byte per command to a socket's channel
 * and reads it only when that socket processes commands), so that no unread byte ends the next {@code select} at once.
 * This is what JeroMQ's {@code ZMQ.poll} does, without its second system call and its per-call registration work.
 * Two selects in a row that ended signalled but brought nothing wanted are followed by a short back-off instead of
 * another select ({@link PhantomSignal}).
 */
final class ProxyPoller implements AutoCloseable {

    private final Selector selector;

    private final SocketBase[] sockets;

    private final int[] interests;

    /**
     * Tolerates one signal that brought nothing wanted: the proxy's sockets are also woken by commands alone (the
     * engine's "room again" notice every few hundred messages a peer reads, for one), and a back-off then delays the
     * next hop of every message in flight (request-reply through a proxy: +13 % in interleaved rounds); a phantom's
     * byte ends the next select at once, so a real phantom costs one select more.
     */
    private final PhantomSignal phantom = new PhantomSignal(1);

    ProxyPoller(List<SocketBase> sockets) throws IOException {
        this.selector = Selector.open();
        this.sockets = sockets.toArray(SocketBase[]::new);
        this.interests = new int[this.sockets.length];
        try {
            for (SocketBase socket : this.sockets) {
                SelectableChannel notifications = socket.getFD();
                notifications.register(this.selector, SelectionKey.OP_READ, socket);
            }
        }
        catch (IOException | RuntimeException ex) {
            this.selector.close();
            throw ex;
        }
    }

    /** Forgets what the last wait was for. */
    void clear() {
        Arrays.fill(this.interests, 0);
    }

    /** Adds {@code interest} ({@code ZMQ_POLLIN} and/or {@code ZMQ_POLLOUT}) of {@code socket} to the next wait. */
    void want(SocketBase socket, int interest) {
        for (int i = 0; i < this.sockets.length; i++) {
            if (this.sockets[i] == socket) {
                this.interests[i] |= interest;
                return;
            }
        }
        throw new IllegalArgumentException(socket + " is not one of this proxy's sockets");
    }

    /**
     * Returns when a wanted event is ready, when any socket's state may have changed, or after {@code timeoutMillis}.
     *
     * @return false when a socket reports that its context is terminating
     */
    boolean await(long timeoutMillis) throws IOException {
        for (int i = 0; i < this.sockets.length; i++) {
            if (this.interests[i] != 0) {
                int events = this.sockets[i].getSocketOpt(ZMQ.ZMQ_EVENTS);
                if (events < 0) {
                    return false;
                }
                if ((events & this.interests[i]) != 0) {
                    this.phantom.progressed();
                    return true;
                }
            }
        }
        if (this.phantom.takePhantom()) {
            // the last signal brought nothing wanted: likely a phantom, whose byte the next check consumes
            this.phantom.backOff();
            return true;
        }
        this.phantom.selected(this.selector.select(timeoutMillis) > 0);
        // every socket that was signalled takes its notifications now, wanted or not: one left unread would end
        // every following select at once
        for (SelectionKey key : this.selector.selectedKeys()) {
            if (((SocketBase) key.attachment()).getSocketOpt(ZMQ.ZMQ_EVENTS) < 0) {
                this.selector.selectedKeys().clear();
                return false;
            }
        }
        this.selector.selectedKeys().clear();
        return true;
    }

    /**
     * Tells the poller that the round after its last wait moved something: that wait's signal was real, so the next
     * wait must not back off for it (a back-off after every forwarded message would add its delay to each hop).
     */
    void progressed() {
        this.phantom.progressed();
    }

    @Override
    public void close() throws IOException {
        this.selector.close();
    }
}
