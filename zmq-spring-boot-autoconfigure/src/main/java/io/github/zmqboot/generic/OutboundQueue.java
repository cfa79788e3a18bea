package io.github.zmqboot.generic;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.function.Supplier;

/**
 * The messages a confined socket could not send yet, in call order (owner thread only). The head is retried when
 * the socket reports {@code POLLOUT}; a later message never overtakes an earlier one; each waits at most until its
 * deadline (the socket's send timeout), then its caller gets {@code EAGAIN}.
 */
final class OutboundQueue {

    /** Sends one message without blocking: true when sent, false on {@code EAGAIN}; throws any other error. */
    @FunctionalInterface
    interface Sender {

        boolean trySend(byte[][] frames);
    }

    /** One message waiting to be sent, and whom to tell how it went. */
    abstract static class Outbound {

        final byte[][] frames;

        final long deadline;

        Outbound(byte[][] frames, long deadline) {
            this.frames = frames;
            this.deadline = deadline;
        }

        /** Reserves the message for one attempt; false when nobody wants it sent any more. */
        abstract boolean begin();

        /** The attempt met a full queue: the message waits again. */
        abstract void again();

        /** The message was sent. */
        abstract void sent();

        /** The message cannot be sent: the send failed, timed out, or the socket closed. */
        abstract void failed(RuntimeException exception);

        /** Whether nobody wants the message sent any more (its caller gave up). */
        abstract boolean isDropped();
    }

    private final ArrayDeque<Outbound> queue = new ArrayDeque<>();

    boolean isEmpty() {
        return this.queue.isEmpty();
    }

    void add(Outbound outbound) {
        this.queue.add(outbound);
    }

    /** Sends waiting messages in order for as long as the socket takes them. */
    void flush(Sender sender) {
        while (!this.queue.isEmpty()) {
            Outbound head = this.queue.peek();
            if (!head.begin()) {
                this.queue.poll();
                continue;
            }
            boolean sent;
            try {
                sent = sender.trySend(head.frames);
            }
            catch (RuntimeException ex) {
                this.queue.poll();
                head.failed(ex);
                continue;
            }
            if (!sent) {
                head.again();
                return;
            }
            this.queue.poll();
            head.sent();
        }
    }

    /** Fails every message whose deadline passed and forgets those nobody wants any more. */
    void expire(long now, Supplier<RuntimeException> timeout) {
        for (Iterator<Outbound> it = this.queue.iterator(); it.hasNext();) {
            Outbound outbound = it.next();
            if (outbound.isDropped()) {
                it.remove();
            }
            else if (outbound.deadline != Long.MAX_VALUE && now - outbound.deadline >= 0) {
                it.remove();
                outbound.failed(timeout.get());
            }
        }
    }

    long nextDeadline() {
        long next = Long.MAX_VALUE;
        for (Outbound outbound : this.queue) {
            next = Math.min(next, outbound.deadline);
        }
        return next;
    }

    void failAll(RuntimeException exception) {
        Outbound outbound;
        while ((outbound = this.queue.poll()) != null) {
            outbound.failed(exception);
        }
    }

    /** A caller's message: the caller waits on {@code outcome}. */
    static Outbound forCaller(byte[][] frames, long deadline, PendingOutcome<Void> outcome) {
        return new Outbound(frames, deadline) {

            @Override
            boolean begin() {
                return outcome.take();
            }

            @Override
            void again() {
                outcome.release();
            }

            @Override
            void sent() {
                outcome.complete(null);
            }

            @Override
            void failed(RuntimeException exception) {
                // waiting (timed out, socket closed) or reserved by the attempt that failed
                if (!outcome.tryFail(exception) && !outcome.isSettled()) {
                    outcome.fail(exception);
                }
            }

            @Override
            boolean isDropped() {
                return outcome.isSettled();
            }
        };
    }
}
