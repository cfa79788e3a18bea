package io.github.zmqboot.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Round trips completed by any number of client threads; the benchmark thread waits for a count parked, woken by
 * the client that reaches it (a spinning wait would take one of the machine's two cores).
 */
final class RoundTripCount {

    private final AtomicLong count = new AtomicLong();

    private volatile long target = Long.MAX_VALUE;

    private volatile Thread waiter;

    void increment() {
        if (this.count.incrementAndGet() >= this.target) {
            LockSupport.unpark(this.waiter);
        }
    }

    long get() {
        return this.count.get();
    }

    void awaitAtLeast(long target, long timeoutMillis) {
        this.waiter = Thread.currentThread();
        this.target = target;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (this.count.get() < target) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no round trip completed within " + timeoutMillis + " ms");
            }
            LockSupport.parkNanos(1_000_000); // woken at the target; the timeout only bounds a lost wake-up
        }
        this.target = Long.MAX_VALUE;
    }
}
