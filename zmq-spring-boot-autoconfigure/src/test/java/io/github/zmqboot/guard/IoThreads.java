package io.github.zmqboot.guard;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The engine's I/O threads of one ZeroMQ context, and whether they spin.
 * <p>
 * JeroMQ 0.6.0 names them {@code iothread-<n>} ({@code zmq.io.IOThread}); several contexts in one JVM reuse the
 * names, so a context's threads are the ones that appeared while it started ({@link #startedSince(Set)}). An idle
 * I/O thread waits in its selector ({@code sun.nio.ch}) and uses next to no CPU; a spinning one (JeroMQ #1005) is
 * always inside the engine's code and uses a whole core when it gets one. Two measures, over a window of at least
 * {@link #WINDOW}: the CPU the threads used, as a fraction of one core, and the fraction of stack samples (one per
 * poll) that found a thread outside its selector. The second does not depend on how loaded the machine is: a
 * spinning thread that the OS runs only part of the time still never waits in its selector.
 */
final class IoThreads {

    static final String NAME_PREFIX = "iothread-";

    /** A thread using more than this fraction of a core on average is busy. */
    static final double BUSY_FRACTION = 0.25;

    /** Threads found outside their selector in more than this fraction of the samples are busy. */
    static final double ENGINE_FRACTION = 0.5;

    /** Samples needed before the stack measure counts. */
    static final int MIN_SAMPLES = 5;

    static final Duration WINDOW = Duration.ofSeconds(1);

    private static final Duration SAMPLE_INTERVAL = Duration.ofMillis(100);

    /** CPU a healthy I/O thread may use in one burst (handling a close, a GC safepoint) without counting as busy. */
    private static final long SLACK_NANOS = Duration.ofMillis(30).toNanos();

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Set<Long> ids;

    private IoThreads(Set<Long> ids) {
        this.ids = Set.copyOf(ids);
    }

    /** The ids of every live JeroMQ I/O thread in this JVM. */
    static Set<Long> snapshot() {
        return Thread.getAllStackTraces().keySet().stream()
            .filter(thread -> thread.getName().startsWith(NAME_PREFIX))
            .map(Thread::getId)
            .collect(Collectors.toSet());
    }

    /** The I/O threads that exist now and did not at {@code before} (those of the context started in between). */
    static IoThreads startedSince(Set<Long> before) {
        Set<Long> ids = new HashSet<>(snapshot());
        ids.removeAll(before);
        assertThat(ids).as("the context's JeroMQ I/O threads (named " + NAME_PREFIX + "*)").isNotEmpty();
        assertThat(THREADS.isThreadCpuTimeSupported()).as("thread CPU time supported").isTrue();
        return new IoThreads(ids);
    }

    /** Whether any of these threads is still alive. */
    boolean anyAlive() {
        return Thread.getAllStackTraces().keySet().stream()
            .anyMatch(thread -> this.ids.contains(thread.getId()) && thread.isAlive());
    }

    /**
     * Asserts that these threads do not spin: from now, for a whole {@link #WINDOW} (Awaitility {@code during}), the
     * measures since now stay below both limits. A spinning thread never lets them, and the wait fails at its bound.
     */
    void assertNotSpinning() {
        Window window = new Window();
        await("JeroMQ I/O threads not spinning (CPU < " + BUSY_FRACTION + " of a core, outside the selector in < "
                + ENGINE_FRACTION + " of the samples)")
            .during(WINDOW)
            .atMost(WINDOW.multipliedBy(5))
            .pollInterval(SAMPLE_INTERVAL)
            .until(() -> !window.sample().busy());
    }

    /** The measures over one {@link #WINDOW} from now (sampling until it has passed). */
    Load loadOverWindow() {
        Window window = new Window();
        await("measurement window").atMost(WINDOW.multipliedBy(5)).pollInterval(SAMPLE_INTERVAL)
            .until(() -> window.sample().elapsedNanos() >= WINDOW.toNanos());
        return window.load();
    }

    /**
     * @param cpuFraction CPU used, as a fraction of one core
     * @param engineFraction fraction of the stack samples that found a thread outside its selector
     * @param samples how many thread stacks were sampled
     * @param elapsedNanos the window's length so far
     */
    record Load(double cpuFraction, double engineFraction, int samples, long elapsedNanos) {

        boolean busy() {
            return this.cpuFraction > BUSY_FRACTION
                    || (this.samples >= MIN_SAMPLES && this.engineFraction > ENGINE_FRACTION);
        }
    }

    /** The measures of these threads since its creation. */
    private final class Window {

        private final long startCpu = cpuNanos();

        private final long startWall = System.nanoTime();

        private int samples;

        private int outsideSelector;

        /** Takes one stack sample of every thread; returns the measures so far. */
        Load sample() {
            for (ThreadInfo info : THREADS.getThreadInfo(toArray(IoThreads.this.ids), 12)) {
                if (info != null) {
                    this.samples++;
                    if (!inSelector(info.getStackTrace())) {
                        this.outsideSelector++;
                    }
                }
            }
            return load();
        }

        Load load() {
            long elapsed = Math.max(1, System.nanoTime() - this.startWall);
            long cpu = Math.max(0, cpuNanos() - this.startCpu - SLACK_NANOS);
            double engine = this.samples == 0 ? 0 : this.outsideSelector / (double) this.samples;
            return new Load(cpu / (double) elapsed, engine, this.samples, elapsed);
        }
    }

    /** Total CPU time of these threads so far (a thread that ended counts no more). */
    private long cpuNanos() {
        long total = 0;
        for (long id : this.ids) {
            long cpu = THREADS.getThreadCpuTime(id);
            if (cpu > 0) {
                total += cpu;
            }
        }
        return total;
    }

    /** Whether the thread waits in its NIO selector (an idle I/O thread's place). */
    private static boolean inSelector(StackTraceElement[] stack) {
        for (StackTraceElement frame : stack) {
            if (frame.getClassName().startsWith("sun.nio.ch.")) {
                return true;
            }
            if (frame.getClassName().startsWith("zmq.")) {
                return false;
            }
        }
        return false;
    }

    private static long[] toArray(Set<Long> ids) {
        return ids.stream().mapToLong(Long::longValue).toArray();
    }
}
