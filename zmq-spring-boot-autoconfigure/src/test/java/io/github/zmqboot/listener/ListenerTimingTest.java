package io.github.zmqboot.listener;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which listener calls are timed for the invocation timer: every call of a slow method, a random one in about
 * {@value ListenerTiming#MAX_INTERVAL} of a fast one, the first call always; and the totals estimated from them, each
 * timed call weighted by the calls it stands for.
 */
class ListenerTimingTest {

    @Test
    void nothingIsTimedUntilEnabled() {
        ListenerTiming timing = new ListenerTiming();
        for (int i = 0; i < 1000; i++) {
            assertThat(timing.isDue()).isFalse();
        }
        assertThat(timing.handledNanos(10)).isZero();
    }

    @Test
    void theFirstCallIsTimedAndEveryCallOfASlowMethod() {
        ListenerTiming timing = new ListenerTiming();
        timing.enable();
        for (int i = 0; i < 100; i++) {
            assertThat(timing.isDue()).as("call %d", i).isTrue();
            timing.record(ListenerTiming.EVERY_CALL_FROM_NANOS, true);
        }
    }

    @Test
    void fastCallsAreTimedOnceInAboutMaxIntervalAtRandomGaps() {
        ListenerTiming timing = new ListenerTiming();
        timing.enable();
        assertThat(timing.isDue()).isTrue();
        timing.record(1, true);
        int samples = 2000;
        long calls = 0;
        int shortest = Integer.MAX_VALUE;
        int longest = 0;
        for (int s = 0; s < samples; s++) {
            int gap = 1;
            while (!timing.isDue()) {
                gap++;
            }
            timing.record(1, true);
            calls += gap;
            shortest = Math.min(shortest, gap);
            longest = Math.max(longest, gap);
        }
        // gaps uniform in [1, 2 * 64 - 1]: mean 64, standard error of the mean of 2,000 gaps below 1
        assertThat(longest).isLessThanOrEqualTo(2 * ListenerTiming.MAX_INTERVAL - 1);
        assertThat((double) calls / samples).isBetween(ListenerTiming.MAX_INTERVAL - 8.0,
                ListenerTiming.MAX_INTERVAL + 8.0);
        assertThat(longest - shortest).as("the gaps vary").isGreaterThan(ListenerTiming.MAX_INTERVAL);
    }

    @Test
    void theMeanGapShrinksAsCallsTakeLonger() {
        assertThat(ListenerTiming.meanInterval(0)).isEqualTo(ListenerTiming.MAX_INTERVAL);
        assertThat(ListenerTiming.meanInterval(50)).isEqualTo(ListenerTiming.MAX_INTERVAL);
        assertThat(ListenerTiming.meanInterval(500)).isEqualTo(10);
        assertThat(ListenerTiming.meanInterval(2_500)).isEqualTo(2);
        assertThat(ListenerTiming.meanInterval(ListenerTiming.EVERY_CALL_FROM_NANOS - 1)).isEqualTo(1);
        assertThat(ListenerTiming.meanInterval(Long.MAX_VALUE)).isEqualTo(1);
    }

    @Test
    void slowPhasesTimedInFullDoNotOutweighFastPhasesTimedOnceIn50() {
        ListenerTiming timing = new ListenerTiming();
        timing.enable();
        long calls = 0;
        long actualNanos = 0;
        for (int phase = 0; phase < 400; phase++) {
            long duration = (phase % 2 == 0) ? 100 : 10_000;
            for (int i = 0; i < 1000; i++) {
                if (timing.isDue()) {
                    timing.record(duration, true);
                }
                calls++;
                actualNanos += duration;
            }
        }
        // unweighted, the slow calls (all timed) would make the estimate about twice the actual total; the weights
        // leave the lag of one gap at each change of phase (under 5 %) and the sampling's noise
        assertThat((double) timing.handledNanos(calls) / actualNanos).isBetween(0.9, 1.1);
    }

    @Test
    void totalsAreTheMeanOfTheTimedCallsTimesAllCalls() {
        ListenerTiming timing = new ListenerTiming();
        timing.enable();
        timing.record(100_000, true);
        timing.record(300_000, true);
        timing.record(50_000, false);
        assertThat(timing.handledNanos(10)).isEqualTo(2_000_000);
        assertThat(timing.failedNanos(4)).isEqualTo(200_000);
    }
}
