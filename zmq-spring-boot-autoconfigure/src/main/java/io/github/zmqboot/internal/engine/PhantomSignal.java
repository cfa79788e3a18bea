package io.github.zmqboot.internal.engine;

import java.util.concurrent.locks.LockSupport;

/**
 * What to do when a socket's mailbox channel reported "readable" but the engine then had nothing for us: back off
 * for a few microseconds instead of waiting on the channel again.
 * <p>
 * JeroMQ 0.6.0's {@code Signaler.send} writes its wake-up byte <em>before</em> it counts it ({@code wcursor}), and a
 * non-blocking engine call only reads a byte it has counted. In that window (stretched whenever the I/O thread is
 * preempted, which is often on two cores) the byte sits in the pipe unread: a selector on the channel returns at once
 * again and again while every non-blocking call finds nothing, and an outside waiter spins at a few million empty
 * rounds per second, starving the very I/O thread it waits for (measured: 3 million empty wake-ups for 3 million
 * messages, a quarter of the engine's own blocking receive). The engine's blocking calls do not suffer from it
 * because their wait reads the byte. Parking briefly after such a phantom wake-up gives the I/O thread the core back;
 * the next non-blocking call consumes the byte and the channel is quiet again.
 * <p>
 * One instance per waiting loop (not thread-safe): the loop reports how each {@code select} ended
 * ({@link #selected(boolean)}) and when its engine call got something ({@link #progressed()}); before its next
 * {@code select} it asks {@link #takePhantom()}, and backs off instead when that is true.
 * <p>
 * A loop whose signals may carry only commands (a proxy's sockets get the engine's "room again" notice every few
 * hundred messages their peers read) can tolerate some signals that brought nothing before it backs off: such a
 * signal was real, its byte consumed, and a back-off after it would only delay the next message of every hop.
 */
public final class PhantomSignal {

    /** How long to park after a phantom wake-up: long enough to yield the core, short against a message's latency. */
    public static final long BACKOFF_NANOS = 20_000;

    /** Signals in a row that may bring nothing before the loop backs off. */
    private final int toleratedEmptySignals;

    /** Selects in a row that ended signalled while the loop got nothing since the first of them. */
    private int emptySignals;

    /** Backs off after every signal that brought nothing. */
    public PhantomSignal() {
        this(0);
    }

    /** Backs off only after more than {@code toleratedEmptySignals} signals in a row brought nothing. */
    public PhantomSignal(int toleratedEmptySignals) {
        this.toleratedEmptySignals = toleratedEmptySignals;
    }

    /** Records how a {@code select} on the socket's channel ended. */
    public void selected(boolean signalled) {
        this.emptySignals = signalled ? this.emptySignals + 1 : 0;
    }

    /** Records that the loop's engine call got what it waited for: the last signal was real. */
    public void progressed() {
        this.emptySignals = 0;
    }

    /**
     * Whether more signals in a row than tolerated brought nothing (the last a phantom); forgets them when so, so that
     * the loop backs off once per signal.
     */
    public boolean takePhantom() {
        if (this.emptySignals <= this.toleratedEmptySignals) {
            return false;
        }
        this.emptySignals = 0;
        return true;
    }

    /** Parks the calling thread for {@link #BACKOFF_NANOS}. */
    public void backOff() {
        LockSupport.parkNanos(BACKOFF_NANOS);
    }
}
