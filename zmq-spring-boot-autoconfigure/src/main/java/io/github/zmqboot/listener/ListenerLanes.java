package io.github.zmqboot.listener;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The handler threads of a listener with {@code concurrency} &gt; 1: one single-threaded lane per thread. A message
 * goes to the lane chosen by its sender key, so messages of one sender are handled in arrival order.
 * <p>
 * Each lane holds at most {@value #LANE_CAPACITY} messages; the reading thread waits for room in a full lane, so
 * that a slow handler leaves messages queued in the socket, where its receive HWM pushes back on senders, instead of
 * piling them up in memory.
 */
final class ListenerLanes {

    /** Messages a lane holds waiting for its handler thread (as a broker's prefetch: enough to keep it busy). */
    static final int LANE_CAPACITY = 256;

    /** The lanes whose task the current thread runs, if any (a handler stopping its own container must not wait). */
    private static final ThreadLocal<ListenerLanes> CURRENT = new ThreadLocal<>();

    private final ExecutorService[] lanes;

    ListenerLanes(int count, ThreadFactory threadFactory) {
        this.lanes = new ExecutorService[count];
        for (int i = 0; i < count; i++) {
            this.lanes[i] = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                    new LinkedBlockingQueue<>(LANE_CAPACITY), threadFactory, ListenerLanes::waitForRoom);
        }
    }

    /**
     * The hand-off to a full lane: waits until its handler thread made room. Lanes shut down only after the reading
     * thread stopped (see {@link ZmqListenerContainer#stop()}), so the wait always ends.
     */
    private static void waitForRoom(Runnable task, ThreadPoolExecutor lane) {
        if (lane.isShutdown()) {
            throw new RejectedExecutionException("The listener's handler threads are shut down");
        }
        try {
            lane.getQueue().put(task);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new RejectedExecutionException("Interrupted while waiting for room in a listener lane", ex);
        }
    }

    /** Whether the calling thread is one of these lanes' handler threads. */
    boolean isLaneThread() {
        return CURRENT.get() == this;
    }

    /** Runs {@code task} on the lane of {@code senderKey}; waits while that lane is full. */
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
