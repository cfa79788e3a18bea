package io.github.zmqboot.socket;

import java.util.concurrent.atomic.LongAdder;

/**
 * Messages and bytes a socket sent and received, counted where the engine accepted or delivered them. Always on:
 * an increment of two striped adders per message; metrics read the sums lazily, so the hot path never touches a
 * meter registry.
 */
public final class SocketTraffic {

    private final LongAdder messagesReceived = new LongAdder();

    private final LongAdder bytesReceived = new LongAdder();

    private final LongAdder messagesSent = new LongAdder();

    private final LongAdder bytesSent = new LongAdder();

    /** Counts one received message of {@code bytes} bytes (all frames). */
    public void received(long bytes) {
        this.messagesReceived.increment();
        this.bytesReceived.add(bytes);
    }

    /** Counts {@code messages} received messages of {@code bytes} bytes in all (a reading thread's batch). */
    public void received(long messages, long bytes) {
        this.messagesReceived.add(messages);
        this.bytesReceived.add(bytes);
    }

    /** Counts one sent message of {@code bytes} bytes (all frames). */
    public void sent(long bytes) {
        this.messagesSent.increment();
        this.bytesSent.add(bytes);
    }

    public long messagesReceived() {
        return this.messagesReceived.sum();
    }

    public long bytesReceived() {
        return this.bytesReceived.sum();
    }

    public long messagesSent() {
        return this.messagesSent.sum();
    }

    public long bytesSent() {
        return this.bytesSent.sum();
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
