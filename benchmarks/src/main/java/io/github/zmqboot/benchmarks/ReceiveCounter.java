package io.github.zmqboot.benchmarks;

import java.util.concurrent.locks.LockSupport;

/**
 * Counts what a receiver took; written by one thread only. The benchmark thread waits for a count parked, woken by
 * the receiving thread when the count is reached: a spinning wait would take one of the machine's two cores from
 * the threads it waits for (it did: about half of the benchmark thread's CPU went into spinning).
 */
final class ReceiveCounter {

    private static final long WAIT_CHECK_NANOS = 1_000_000;

    private volatile long count;

    private volatile long target = Long.MAX_VALUE;

    private volatile Thread waiter;

    /** Payload bytes seen (so that no receiver's payload access can be optimised away); one writer. */
    private long payloadBytes;

    /** Counts a message whose payload the receiver took as a {@code byte[]}. */
    void increment(byte[] payload) {
        this.payloadBytes += payload.length;
        increment();
    }

    void increment() {
        long reached = this.count + 1;
        this.count = reached;
        if (reached >= this.target) {
            LockSupport.unpark(this.waiter);
        }
    }

    /** The messages counted so far. */
    long count() {
        return this.count;
    }

    void awaitAtLeast(long target) {
        this.waiter = Thread.currentThread();
        this.target = target;
        while (this.count < target) {
            LockSupport.parkNanos(WAIT_CHECK_NANOS); // woken at the target; the timeout only bounds a lost wake-up
        }
        this.target = Long.MAX_VALUE;
    }
}
