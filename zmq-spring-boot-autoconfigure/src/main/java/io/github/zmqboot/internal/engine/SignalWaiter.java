package io.github.zmqboot.internal.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;

/**
 * Waits, outside the engine's lock, until a thread-safe socket's mailbox is signalled (a message arrived, a queue
 * drained, the socket was cancelled) or a time passes. The caller then retries its non-blocking engine call.
 * <p>
 * The signal is edge-like and shared: another thread's engine call can consume the signal this waiter was waiting
 * for, so callers wait in short slices and re-check; a lost wake-up costs at most one slice. One waiter per thread
 * (a {@link Selector} is not cheap to open); the waiter of a long-lived loop is closed with it.
 */
final class SignalWaiter implements AutoCloseable {

    private static final ThreadLocal<SignalWaiter> PER_THREAD = ThreadLocal.withInitial(SignalWaiter::new);

    private final Selector selector;

    /** The registration of the channel waited for last (a waiter serves one thread, so no locking). */
    private SelectionKey key;

    private final PhantomSignal phantom = new PhantomSignal();

    SignalWaiter() {
        try {
            this.selector = Selector.open();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot open a selector", ex);
        }
    }

    /** The calling thread's waiter. */
    static SignalWaiter forCurrentThread() {
        return PER_THREAD.get();
    }

    /**
     * Waits until {@code channel} is signalled or {@code millis} passed; returns at once when it is signalled already.
     * When the previous wait on the same channel ended signalled and the caller made no {@link #progressed() progress}
     * since, the signal was a phantom: this call backs off briefly instead (see {@link PhantomSignal}).
     *
     * @return {@code false} when the channel is closed (the socket is gone)
     */
    boolean await(SelectableChannel channel, long millis) {
        SelectionKey key = this.key;
        try {
            if (key == null || key.channel() != channel || !key.isValid()) {
                if (key != null) {
                    // another socket than last time: drop the old registration first
                    key.cancel();
                    this.selector.selectNow();
                }
                try {
                    key = channel.register(this.selector, SelectionKey.OP_READ);
                }
                catch (ClosedChannelException ex) {
                    this.key = null;
                    return false;
                }
                this.key = key;
                this.phantom.progressed(); // a signal of another channel says nothing about this one
            }
            if (this.phantom.takePhantom()) {
                this.phantom.backOff();
                return true;
            }
            // the registration stays for the next wait on the same socket: one system call per wait
            this.phantom.selected(this.selector.select(Math.max(1, millis)) > 0);
            this.selector.selectedKeys().clear();
            return true;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Tells the waiter that the caller's engine call succeeded after its last wait: that signal was real. */
    void progressed() {
        this.phantom.progressed();
    }

    @Override
    public void close() {
        try {
            this.selector.close();
        }
        catch (IOException ex) {
            // nothing left to release
        }
    }
}
