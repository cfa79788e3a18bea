package io.github.zmqboot.generic;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The request-reply exchanges ({@code convertSendAndReceive}) of a confined socket, one at a time in call order
 * (owner thread only). The head exchange sends its request through the socket's {@link OutboundQueue}, then takes
 * the next message off the socket as its reply. One that times out (or whose caller gave up) after its request left
 * is reported to the socket, which replaces a REQ or DEALER so that the late reply never reaches a later exchange.
 */
final class Exchanges {

    /** What an exchange needs from its socket. */
    interface Channel {

        /** Queues the request behind every message sent before it. */
        void send(OutboundQueue.Outbound request);

        /** {@link System#nanoTime()} at which a request queued now gives up on a full queue ({@code EAGAIN}). */
        long sendDeadline();

        /** An exchange ended without its reply after its request was sent. */
        void abandonedAfterSend();
    }

    private enum State {
        QUEUED, SENDING, AWAITING_REPLY, DONE
    }

    private final class Exchange {

        private final byte[][] request;

        private final long deadline;

        private final PendingOutcome<byte[][]> outcome;

        private State state = State.QUEUED;

        Exchange(byte[][] request, long deadline, PendingOutcome<byte[][]> outcome) {
            this.request = request;
            this.deadline = deadline;
            this.outcome = outcome;
        }

        boolean isOver(long now) {
            return this.outcome.isSettled() || (this.deadline != Long.MAX_VALUE && now - this.deadline >= 0);
        }
    }

    private final ArrayDeque<Exchange> queue = new ArrayDeque<>();

    private final Channel channel;

    Exchanges(Channel channel) {
        this.channel = channel;
    }

    /** Queues an exchange; it starts when every earlier one is over. */
    void submit(byte[][] request, long deadline, PendingOutcome<byte[][]> outcome) {
        this.queue.add(new Exchange(request, deadline, outcome));
        startNext();
    }

    /** Whether the head exchange waits for its reply: the next message off the socket is for it. */
    boolean awaitingReply() {
        Exchange head = this.queue.peek();
        return head != null && head.state == State.AWAITING_REPLY;
    }

    /** The reply of the head exchange arrived. */
    void replied(byte[][] frames) {
        Exchange head = this.queue.poll();
        head.state = State.DONE;
        head.outcome.tryComplete(frames); // a caller that gave up just now: the reply matched its request, drop it
        startNext();
    }

    /** Ends exchanges whose deadline passed or whose caller gave up: null to the caller. */
    void expire(long now) {
        while (!this.queue.isEmpty() && this.queue.peek().isOver(now)) {
            Exchange head = this.queue.poll();
            boolean sent = head.state == State.AWAITING_REPLY;
            head.state = State.DONE;
            head.outcome.tryComplete(null);
            if (sent) {
                this.channel.abandonedAfterSend();
            }
            startNext();
        }
        for (Iterator<Exchange> it = this.queue.iterator(); it.hasNext();) {
            Exchange exchange = it.next();
            if (exchange.state == State.QUEUED && exchange.isOver(now)) {
                it.remove();
                exchange.state = State.DONE;
                exchange.outcome.tryComplete(null);
            }
        }
    }

    long nextDeadline() {
        long next = Long.MAX_VALUE;
        for (Exchange exchange : this.queue) {
            next = Math.min(next, exchange.deadline);
        }
        return next;
    }

    void failAll(RuntimeException exception) {
        Exchange exchange;
        while ((exchange = this.queue.poll()) != null) {
            exchange.state = State.DONE;
            exchange.outcome.tryFail(exception);
        }
    }

    private void startNext() {
        Exchange head = this.queue.peek();
        if (head == null || head.state != State.QUEUED) {
            return;
        }
        head.state = State.SENDING;
        this.channel.send(new Request(head, this.channel.sendDeadline()));
    }

    /** The request of the head exchange, on its way through the outbound queue. */
    private final class Request extends OutboundQueue.Outbound {

        private final Exchange exchange;

        Request(Exchange exchange, long sendDeadline) {
            super(exchange.request, sendDeadline);
            this.exchange = exchange;
        }

        @Override
        boolean begin() {
            return !isDropped();
        }

        @Override
        void again() {
        }

        @Override
        void sent() {
            this.exchange.state = State.AWAITING_REPLY;
        }

        @Override
        void failed(RuntimeException exception) {
            if (this.exchange.state == State.DONE) {
                return;
            }
            this.exchange.state = State.DONE;
            this.exchange.outcome.tryFail(exception);
            Exchanges.this.queue.remove(this.exchange);
            startNext();
        }

        @Override
        boolean isDropped() {
            return this.exchange.state == State.DONE || this.exchange.outcome.isSettled();
        }
    }
}
