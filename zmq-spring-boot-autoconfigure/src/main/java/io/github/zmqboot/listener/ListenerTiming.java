package io.github.zmqboot.listener;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * How long a listener's calls take, for its {@code zmq.listener.invocations} timer: a random sample of the calls is
 * timed, and the total time of all calls estimated from it. Reading the clock twice costs about as much as a fast
 * listener's whole call (70–150 ns where the clock is virtualised), so the sample is as large as keeps those reads to
 * about {@value #CLOCK_SHARE_PERCENT} % of the calls' own time: every call of a method that takes
 * {@value #EVERY_CALL_FROM_NANOS} ns or more, about one in {@value #MAX_INTERVAL} of a method that returns at once.
 * The gap to the next timed call is drawn at random around that size, so that calls whose duration follows a
 * pattern do not bias the estimate, and each timed call counts for the calls its gap stood for (a slow phase of a
 * listener, all of whose calls are timed, would otherwise outweigh a fast phase sampled one call in 64). Off until
 * {@link #enable() enabled}.
 */
final class ListenerTiming {

    /** What two clock reads cost, pessimistically (a virtualised clock). */
    private static final long CLOCK_PAIR_NANOS = 150;

    private static final int CLOCK_SHARE_PERCENT = 3;

    /** Calls that take this long or more are all timed. */
    static final long EVERY_CALL_FROM_NANOS = CLOCK_PAIR_NANOS * 100 / CLOCK_SHARE_PERCENT;

    /** The mean gap between timed calls of the fastest methods. */
    static final int MAX_INTERVAL = 64;

    /** The timed calls' durations, each times the calls it stands for (its weight). */
    private final LongAdder handledNanos = new LongAdder();

    /** The timed calls' weights: the calls they stand for. */
    private final LongAdder handledCalls = new LongAdder();

    private final LongAdder failedNanos = new LongAdder();

    private final LongAdder failedCalls = new LongAdder();

    /** Counts down to the next timed call; racy across handler threads, which only shifts which call is timed. */
    private int untilNext;

    /** The mean gap that leads to the next timed call: the calls that call stands for. */
    private int weight = 1;

    private volatile boolean enabled;

    /** Starts timing; the next call is the first timed. */
    void enable() {
        this.enabled = true;
    }

    /** Whether the call about to be made is to be timed (then report it to {@link #record}). */
    boolean isDue() {
        return this.enabled && --this.untilNext <= 0;
    }

    /** Records a timed call and picks the gap to the next one. */
    void record(long elapsedNanos, boolean succeeded) {
        int weight = this.weight;
        if (succeeded) {
            this.handledNanos.add(elapsedNanos * weight);
            this.handledCalls.add(weight);
        }
        else {
            this.failedNanos.add(elapsedNanos * weight);
            this.failedCalls.add(weight);
        }
        int meanInterval = meanInterval(elapsedNanos);
        this.weight = meanInterval;
        this.untilNext = 1 + ThreadLocalRandom.current().nextInt(2 * meanInterval - 1);
    }

    /** The mean gap to the next timed call after one that took {@code elapsedNanos}. */
    static int meanInterval(long elapsedNanos) {
        return (int) Math.max(1, Math.min(MAX_INTERVAL, EVERY_CALL_FROM_NANOS / Math.max(1, elapsedNanos)));
    }

    /**
     * The estimated total time of {@code calls} successful calls: the mean of the timed ones, each weighted by the
     * calls it stands for, times their count.
     */
    long handledNanos(long calls) {
        return estimatedTotal(this.handledNanos, this.handledCalls, calls);
    }

    /** The estimated total time of {@code calls} failed calls, as {@link #handledNanos(long)}. */
    long failedNanos(long calls) {
        return estimatedTotal(this.failedNanos, this.failedCalls, calls);
    }

    private static long estimatedTotal(LongAdder sampledNanos, LongAdder sampledCalls, long calls) {
        long sampled = sampledCalls.sum();
        return sampled == 0 ? 0 : (long) ((double) sampledNanos.sum() / sampled * calls);
    }
}
