package io.github.zmqboot.internal.engine;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Messages and bytes a socket sent and received, counted where the engine accepted or delivered them. Always on:
 * plain ordered stores per message where one thread at a time counts (the socket's reading thread; a thread holding a
 * shared socket's lock), else an increment of two striped adders; metrics read the sums lazily, so the hot path never
 * touches a meter registry.
 */
public final class SocketTraffic {

    private final LongAdder messagesReceived = new LongAdder();

    private final LongAdder bytesReceived = new LongAdder();

    /** Counted by the socket's one reading thread only (see {@link #receivedByReader(long)}). */
    private final AtomicLong messagesReceivedByReader = new AtomicLong();

    private final AtomicLong bytesReceivedByReader = new AtomicLong();

    private final LongAdder messagesSent = new LongAdder();

    /** Counted under a shared socket's lock only (see {@link #sentUnderLock(long)}). */
    private final AtomicLong messagesSentUnderLock = new AtomicLong();

    private final AtomicLong bytesSentUnderLock = new AtomicLong();

    private final AtomicLong messagesReceivedUnderLock = new AtomicLong();

    private final AtomicLong bytesReceivedUnderLock = new AtomicLong();

    private final LongAdder bytesSent = new LongAdder();

    /** Counts one received message of {@code bytes} bytes (all frames). */
    public void received(long bytes) {
        this.messagesReceived.increment();
        this.bytesReceived.add(bytes);
    }

    /**
     * Counts one received message of {@code bytes} bytes on the socket's one reading thread: a plain ordered store,
     * no atomic update, since one thread at a time calls it (a reading thread starts after the last one ended; only a
     * stop that gave up waiting for a reader stuck for 30 s, followed by a start, lets two count at once, and a count
     * may then be lost).
     */
    void receivedByReader(long bytes) {
        this.messagesReceivedByReader.lazySet(this.messagesReceivedByReader.get() + 1);
        this.bytesReceivedByReader.lazySet(this.bytesReceivedByReader.get() + bytes);
    }

    /** Counts one sent message of {@code bytes} bytes (all frames). */
    public void sent(long bytes) {
        this.messagesSent.increment();
        this.bytesSent.add(bytes);
    }

    /**
     * Counts one sent message by a thread holding the shared socket's lock: plain ordered stores, as
     * {@link #receivedByReader(long)} (the lock makes the writers take turns; a socket replaced after a timed-out
     * request counts into the same traffic under another lock for a moment, and a count may then be lost).
     */
    void sentUnderLock(long bytes) {
        this.messagesSentUnderLock.lazySet(this.messagesSentUnderLock.get() + 1);
        this.bytesSentUnderLock.lazySet(this.bytesSentUnderLock.get() + bytes);
    }

    /** Counts one received message by a thread holding the shared socket's lock (see {@link #sentUnderLock}). */
    void receivedUnderLock(long bytes) {
        this.messagesReceivedUnderLock.lazySet(this.messagesReceivedUnderLock.get() + 1);
        this.bytesReceivedUnderLock.lazySet(this.bytesReceivedUnderLock.get() + bytes);
    }

    public long messagesReceived() {
        return this.messagesReceived.sum() + this.messagesReceivedByReader.get() + this.messagesReceivedUnderLock.get();
    }

    public long bytesReceived() {
        return this.bytesReceived.sum() + this.bytesReceivedByReader.get() + this.bytesReceivedUnderLock.get();
    }

    public long messagesSent() {
        return this.messagesSent.sum() + this.messagesSentUnderLock.get();
    }

    public long bytesSent() {
        return this.bytesSent.sum() + this.bytesSentUnderLock.get();
    }

    /** Total size of the frames of one message. */
    public static long size(byte[][] frames) {
        long size = 0;
        for (byte[] frame : frames) {
            size += frame.length;
        }
        return size;
    }
}
