package io.github.zmqboot.listener;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The handler threads of a listener with {@code concurrency} &gt; 1: one single-threaded lane per thread. A message
 * goes to the lane chosen by its sender key, so messages of one sender are handled in arrival order.
 */
final class ListenerLanes {

    /** The lanes whose task the current thread runs, if any: a handler stopping its own container must not wait for itself. */
    private static final ThreadLocal<ListenerLanes> CURRENT = new ThreadLocal<>();

    private final ExecutorService[] lanes;

    ListenerLanes(int count, ThreadFactory threadFactory) {
        this.lanes = new ExecutorService[count];
        for (int i = 0; i < count; i++) {
            this.lanes[i] = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                    threadFactory);
        }
    }

    /** Runs {@code task} on the lane of {@code senderKey}. */
    void execute(int senderKey, Runnable task) {
        this.lanes[Math.floorMod(senderKey, this.lanes.length)].execute(() -> {
            CURRENT.set(this);
            try {
                task.run();
            }
            finally {
                CURRENT.remove();
            }
        });
    }

    /**
     * Lets every lane finish the messages it holds, then ends its thread.
     *
     * @return whether all lanes finished within {@code timeout}
     */
    boolean drain(Duration timeout) {
        for (ExecutorService lane : this.lanes) {
            lane.shutdown();
        }
        if (CURRENT.get() == this) {
            // stopped from one of its own handlers: the lanes finish what they hold after that handler returns
            return true;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean finished = true;
        for (ExecutorService lane : this.lanes) {
            try {
                finished &= lane.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return finished;
    }
}
