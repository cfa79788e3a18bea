package io.github.zmqboot.internal.engine;

/**
 * The one {@link ConcurrentReadLoop} a socket bean may run at a time: started, stopped and watched here, so that every
 * bean ({@code ZmqPeer}, every {@code ZmqSocket}) implements the reading
 * part of {@link InboundSource} the same way.
 */
public final class ReadLoopSlot {

    private final ManagedSocket socket;

    private final String description;

    private volatile ConcurrentReadLoop loop;

    /**
     * The loop stopped last: one stopped from its own reading thread (a handler stopping its listener) is still in
     * its reader's call after the stop returned, and a new loop must not read before it ended.
     */
    private ConcurrentReadLoop stopped;

    /**
     * @param socket the socket to read
     * @param description how errors name the bean, e.g. {@code "Peer 'alice'"}
     */
    public ReadLoopSlot(ManagedSocket socket, String description) {
        this.socket = socket;
        this.description = description;
    }

    /**
     * Starts the reading thread, once the one stopped last has ended: one reading thread at a time.
     *
     * @throws IllegalStateException when one is running already, or when called on the reading thread stopped last
     */
    public synchronized void start(InboundReader reader) {
        if (this.loop != null) {
            throw new IllegalStateException(this.description + " is already being read");
        }
        if (this.stopped != null) {
            if (this.stopped.isReadingThread()) {
                // waiting here would wait for ourselves, and not waiting would read beside the call still in hand
                throw new IllegalStateException(this.description + " cannot start reading on the reading thread it "
                        + "just stopped: that thread is still inside the call that stopped it; start it from another "
                        + "thread");
            }
            this.stopped.awaitEnd();
            this.stopped = null;
        }
        this.loop = ConcurrentReadLoop.start(this.socket, reader, "zmq-" + this.socket.name() + "-reader");
    }

    /** Stops the reading thread, if any, and waits until it is out of the reader. */
    public void stop() {
        ConcurrentReadLoop stopping;
        synchronized (this) {
            stopping = this.loop;
            this.loop = null;
            if (stopping != null) {
                this.stopped = stopping;
            }
        }
        if (stopping != null) {
            stopping.stop();
        }
    }

    /** Whether a reading thread was started, is not stopped, and still reads an open socket. */
    public boolean isReading() {
        ConcurrentReadLoop current = this.loop;
        return current != null && current.isAlive() && !this.socket.isClosed();
    }
}
