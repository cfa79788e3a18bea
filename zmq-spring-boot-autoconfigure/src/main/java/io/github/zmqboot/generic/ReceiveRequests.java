package io.github.zmqboot.generic;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.function.Supplier;

import org.zeromq.ZMsg;

/**
 * The {@code receive(timeout)} calls waiting on a confined socket, in call order (owner thread only): each message
 * goes whole to the longest-waiting caller; a caller whose deadline passed gets null.
 */
final class ReceiveRequests {

    private record Request(long deadline, PendingOutcome<ZMsg> outcome) {
    }

    private final ArrayDeque<Request> queue = new ArrayDeque<>();

    boolean isEmpty() {
        return this.queue.isEmpty();
    }

    void add(long deadline, PendingOutcome<ZMsg> outcome) {
        this.queue.add(new Request(deadline, outcome));
    }

    /**
     * Hands the next message to the longest-waiting caller.
     *
     * @param receiver takes one message off the socket without blocking; null when there is none
     * @return whether a message was handed over (false: no caller, or no message)
     */
    boolean deliverOne(Supplier<byte[][]> receiver) {
        while (!this.queue.isEmpty()) {
            Request head = this.queue.peek();
            if (!head.outcome().take()) {
                this.queue.poll(); // the caller gave up
                continue;
            }
            byte[][] frames;
            try {
                frames = receiver.get();
            }
            catch (RuntimeException ex) {
                this.queue.poll();
                head.outcome().fail(ex);
                return false;
            }
            if (frames == null) {
                head.outcome().release();
                return false;
            }
            this.queue.poll();
            head.outcome().complete(Frames.toMessage(frames));
            return true;
        }
        return false;
    }

    /** Answers null to every caller whose deadline passed; forgets those who gave up. */
    void expire(long now) {
        for (Iterator<Request> it = this.queue.iterator(); it.hasNext();) {
            Request request = it.next();
            if (request.outcome().isSettled()) {
                it.remove();
            }
            else if (request.deadline() != Long.MAX_VALUE && now - request.deadline() >= 0) {
                it.remove();
                request.outcome().tryComplete(null);
            }
        }
    }

    long nextDeadline() {
        long next = Long.MAX_VALUE;
        for (Request request : this.queue) {
            next = Math.min(next, request.deadline());
        }
        return next;
    }

    void failAll(RuntimeException exception) {
        Request request;
        while ((request = this.queue.poll()) != null) {
            request.outcome().tryFail(exception);
        }
    }
}
