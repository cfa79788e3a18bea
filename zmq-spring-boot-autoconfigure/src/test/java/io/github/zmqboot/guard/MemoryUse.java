package io.github.zmqboot.guard;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;

/**
 * The memory an attack can make the engine hold, measured after a full GC: the used heap and the JVM's direct buffers
 * ({@link BufferPoolMXBean} "direct"). Both count: JeroMQ allocates a frame above 1 MiB in direct memory, which the
 * heap figure never shows.
 *
 * @param heap used heap in bytes
 * @param direct used direct buffer memory in bytes
 */
record MemoryUse(long heap, long direct) {

    private static final long STABLE = 1024 * 1024;

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** Both figures after GC, once two samples in a row agree within 1 MiB each (direct buffers are freed after GC). */
    static MemoryUse afterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
            .filter(pool -> pool.getName().equals("direct"))
            .findFirst()
            .orElseThrow();
        AtomicReference<MemoryUse> previous = new AtomicReference<>();
        AtomicReference<MemoryUse> now = new AtomicReference<>();
        await("heap and direct memory stable after GC").atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            System.gc();
            MemoryUse sample = new MemoryUse(memory.getHeapMemoryUsage().getUsed(), direct.getMemoryUsed());
            now.set(sample);
            MemoryUse before = previous.getAndSet(sample);
            return before != null && Math.abs(sample.heap - before.heap) < STABLE
                    && Math.abs(sample.direct - before.direct) < STABLE;
        });
        return now.get();
    }

    /** Heap and direct memory together. */
    long total() {
        return this.heap + this.direct;
    }

    /** How much more this uses than {@code before}, heap and direct together. */
    long growthSince(MemoryUse before) {
        return total() - before.total();
    }

    @Override
    public String toString() {
        return "heap " + this.heap / 1024 + " KiB, direct " + this.direct / 1024 + " KiB";
    }
}
