package io.github.zmqboot.internal.proxy;

import io.github.zmqboot.core.ProxyStatistics;

/**
 * The eight {@code STATISTICS} counters of one proxy. Only the proxy's own thread writes them, with plain stores,
 * and publishes an immutable snapshot once per forwarding round ({@link #publish()}), which any thread reads through
 * one volatile load ({@link #published()}): counting costs the forwarding path nothing but additions.
 * <p>
 * Consecutive runs of a proxy (start after terminate) share one instance; a run's thread has ended before the next
 * begins, so the counters go on from where they were.
 */
final class TrafficCounters {

    /** The frontend's counters. */
    final Side frontend = new Side();

    /** The backend's counters. */
    final Side backend = new Side();

    private volatile ProxyStatistics published = ProxyStatistics.ZERO;

    private volatile ProxyDrops publishedDrops = ProxyDrops.NONE;

    /** The exact counters now; for the proxy's thread. */
    ProxyStatistics current() {
        return new ProxyStatistics(this.frontend.messagesIn, this.frontend.bytesIn, this.frontend.messagesOut,
                this.frontend.bytesOut, this.backend.messagesIn, this.backend.bytesIn, this.backend.messagesOut,
                this.backend.bytesOut);
    }

    /** Makes the current counters visible to {@link #published()} and {@link #publishedDrops()}; for the proxy's thread. */
    void publish() {
        this.published = current();
        long drops = this.frontend.droppedFull + this.frontend.droppedUnreachable + this.backend.droppedFull
                + this.backend.droppedUnreachable;
        if (drops != this.publishedDrops.total()) {
            this.publishedDrops = new ProxyDrops(this.frontend.droppedFull, this.frontend.droppedUnreachable,
                    this.backend.droppedFull, this.backend.droppedUnreachable);
        }
    }

    /** The dropped messages as of the last {@link #publish()}; for any thread. */
    ProxyDrops publishedDrops() {
        return this.publishedDrops;
    }

    /** The counters as of the last {@link #publish()}; for any thread. */
    ProxyStatistics published() {
        return this.published;
    }

    /** One socket's counters: message parts and bytes, received and sent (accepted by the socket); messages dropped. */
    static final class Side {

        private long droppedFull;

        private long droppedUnreachable;

        private long messagesIn;

        private long bytesIn;

        private long messagesOut;

        private long bytesOut;

        /** Counts one received message part of {@code size} bytes. */
        void received(int size) {
            this.messagesIn++;
            this.bytesIn += size;
        }

        /** Counts one sent message part of {@code size} bytes. */
        void sent(int size) {
            this.messagesOut++;
            this.bytesOut += size;
        }

        /** Counts one whole message this socket refused: its peer's queue was full ({@code EAGAIN}). */
        void droppedFull() {
            this.droppedFull++;
        }

        /** Counts one whole message this socket refused: no such peer ({@code EHOSTUNREACH}). */
        void droppedUnreachable() {
            this.droppedUnreachable++;
        }
    }
}
