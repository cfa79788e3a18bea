package io.github.zmqboot.listener;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A count of a listener's messages (taken, handled or failed), cheap to increment on the hot path: the socket's
 * reading thread (the only thread that takes messages, and the only one that calls the method with {@code concurrency}
 * 1) counts with a plain ordered store, handler threads with a {@link LongAdder}. Readable from any thread.
 */
final class ListenerCount {

    /**
     * Counted by the reading thread: one writer at a time (a new reading thread starts only after the last one
     * stopped), so no atomic read-modify-write is needed. (Only a stop that gave up waiting for a handler stuck for
     * 30 s, followed by a start, lets two reading threads count at once; a count may then be lost.)
     */
    private final AtomicLong byReader = new AtomicLong();

    private final LongAdder byHandlerThreads = new LongAdder();

    /** Counts one on the socket's reading thread. */
    void incrementOnReader() {
        this.byReader.lazySet(this.byReader.get() + 1);
    }

    /** Counts one on a handler thread (any number of them at once). */
    void incrementOnHandlerThread() {
        this.byHandlerThreads.increment();
    }

    long sum() {
        return this.byReader.get() + this.byHandlerThreads.sum();
    }
}
