package io.github.zmqboot.generic;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.github.zmqboot.core.ZmqError;
import io.github.zmqboot.core.ZmqException;

/**
 * The outcome of one call handed from a caller's thread to a socket's owner thread: the caller waits in
 * {@link #await(long, Supplier)}, the owner thread completes it.
 * <p>
 * Before acting on the socket (sending the message, taking a message off it for this caller) the owner thread
 * {@linkplain #take() takes} the outcome; a caller whose deadline passed or who was interrupted can only
 * {@linkplain #abandon() abandon} it while nobody has taken it. So a message is never sent for, nor received by, a
 * caller that already gave up. An owner that took the outcome and could not act (the queue is still full) gives it
 * back with {@link #release()}.
 *
 * @param <T> the value the caller gets
 */
public final class PendingOutcome<T> {

    private static final int WAITING = 0;

    private static final int TAKEN = 1;

    private static final int ABANDONED = 2;

    private static final int DONE = 3;

    /** How often an interrupted caller retries abandoning an outcome that the owner holds for a moment. */
    private static final long ABANDON_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final AtomicInteger state = new AtomicInteger(WAITING);

    private final CountDownLatch done = new CountDownLatch(1);

    private volatile T value;

    private volatile RuntimeException failure;

    /** Owner: reserves the outcome before acting for the caller; false when the caller gave up. */
    public boolean take() {
        return this.state.compareAndSet(WAITING, TAKEN);
    }

    /** Owner: gives a taken outcome back, the action could not be done yet. */
    public void release() {
        this.state.compareAndSet(TAKEN, WAITING);
    }

    /** Owner: completes a taken outcome with its value. */
    public void complete(T result) {
        this.value = result;
        finish();
    }

    /** Owner: completes a taken outcome with a failure the caller gets thrown. */
    public void fail(RuntimeException exception) {
        this.failure = exception;
        finish();
    }

    /** Owner: takes and completes in one step; false when the caller gave up already. */
    public boolean tryComplete(T result) {
        if (!take()) {
            return false;
        }
        complete(result);
        return true;
    }

    /** Owner: takes and fails in one step; false when the caller gave up already. */
    public boolean tryFail(RuntimeException exception) {
        if (!take()) {
            return false;
        }
        fail(exception);
        return true;
    }

    /** Caller: gives up on an outcome nobody has taken; false when the owner holds or completed it. */
    public boolean abandon() {
        return this.state.compareAndSet(WAITING, ABANDONED);
    }

    /** Whether the caller gave up. */
    public boolean isAbandoned() {
        return this.state.get() == ABANDONED;
    }

    /** Whether the outcome is complete or abandoned: nothing more happens to it. */
    public boolean isSettled() {
        int current = this.state.get();
        return current == DONE || current == ABANDONED;
    }

    /**
     * Caller: waits for the outcome.
     *
     * @param deadline {@link System#nanoTime()} after which the caller gives up (if nobody took the outcome), or
     *        {@link Long#MAX_VALUE} to wait for the owner
     * @param onDeadline what a caller that gave up at its deadline gets (returns a value or throws)
     * @return the value the owner completed the outcome with
     * @throws ZmqException {@code EINTR} when the caller was interrupted before the owner took the outcome (the
     *         interrupt flag stays set); otherwise whatever the owner failed it with
     */
    public T await(long deadline, Supplier<T> onDeadline) {
        boolean interrupted = false;
        try {
            while (true) {
                if (interrupted && abandon()) {
                    throw new ZmqException(ZmqError.EINTR, "interrupted while waiting for the socket's owner thread");
                }
                long waitNanos = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
                if (interrupted) {
                    waitNanos = Math.min(waitNanos, ABANDON_RETRY_NANOS);
                }
                try {
                    if (waitNanos <= 0) {
                        if (this.done.getCount() == 0) {
                            return result();
                        }
                        if (abandon()) {
                            return onDeadline.get();
                        }
                        // the owner holds it right now: it completes or gives it back in a moment
                        waitNanos = ABANDON_RETRY_NANOS;
                    }
                    if (waitNanos == Long.MAX_VALUE) {
                        this.done.await();
                        return result();
                    }
                    if (this.done.await(waitNanos, TimeUnit.NANOSECONDS)) {
                        return result();
                    }
                }
                catch (InterruptedException ex) {
                    interrupted = true;
                }
            }
        }
        finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void finish() {
        this.state.set(DONE);
        this.done.countDown();
    }

    private T result() {
        RuntimeException error = this.failure;
        if (error != null) {
            // rethrown on the caller's thread: keep the owner's stack as the cause for diagnosis
            throw rethrowable(error);
        }
        return this.value;
    }

    private static RuntimeException rethrowable(RuntimeException error) {
        if (error instanceof ZmqException zmq) {
            return new ZmqException(zmq.error(), stripErrorName(zmq), zmq);
        }
        if (error instanceof IllegalStateException) {
            return new IllegalStateException(error.getMessage(), error);
        }
        return error;
    }

    private static String stripErrorName(ZmqException exception) {
        String message = exception.getMessage();
        String prefix = exception.error().name() + ": ";
        return message != null && message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }
}
