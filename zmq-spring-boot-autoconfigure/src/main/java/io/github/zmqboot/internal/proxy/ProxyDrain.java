package io.github.zmqboot.internal.proxy;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The graceful drain of a router-dealer run on the application's stop: no new requests are read from the frontend;
 * the request in hand is finished and replies go on back (paused or not) until as many whole replies went back as
 * requests went forward, or the drain's timeout passed. Only the run's thread uses this class.
 */
final class ProxyDrain {

    private static final Log logger = LogFactory.getLog(ProxyDrain.class);

    private final String proxyName;

    /** The direction of requests (frontend to backend). */
    private final MessagePump requests;

    /** The direction of replies (backend to frontend). */
    private final MessagePump replies;

    private long timeoutNanos;

    /** When the drain began ({@link System#nanoTime()}). */
    private long start;

    ProxyDrain(String proxyName, MessagePump requests, MessagePump replies) {
        this.proxyName = proxyName;
        this.requests = requests;
        this.replies = replies;
    }

    /**
     * Begins the drain.
     *
     * @return false when nothing is owed (no forwarded request unanswered, no message half way): the run terminates
     * as any proxy does
     */
    boolean begin(long timeoutNanos) {
        if (unanswered() <= 0 && !this.requests.inMessage() && !this.replies.inMessage()) {
            return false;
        }
        this.timeoutNanos = timeoutNanos;
        this.start = System.nanoTime();
        logger.info("Proxy '" + this.proxyName + "' drains: no new requests; waiting (at most "
                + Duration.ofNanos(timeoutNanos).toMillis() + " ms) for the replies to " + unanswered()
                + " forwarded request(s)");
        return true;
    }

    /**
     * Moves one round: the rest of the request in hand, and a burst of replies.
     *
     * @return the whole messages moved
     */
    int pump(int burst) {
        return this.requests.pump(burst, false) + this.replies.pump(burst);
    }

    /** Whether the replies' burst stopped at its cap (more input is waiting). */
    boolean burstFull() {
        return this.replies.burstFull();
    }

    /** Ends the drain when every forwarded request is answered or the drain timed out; whether it ended. */
    boolean finished() {
        long unanswered = unanswered();
        boolean answered = unanswered <= 0 && !this.requests.inMessage() && !this.replies.inMessage();
        if (!answered && System.nanoTime() - this.start < this.timeoutNanos) {
            return false;
        }
        if (answered) {
            logger.info("Proxy '" + this.proxyName + "' drained: every forwarded request was answered");
        }
        else {
            logger.warn("Proxy '" + this.proxyName + "' stops with " + unanswered + " forwarded request(s) "
                    + "unanswered after its drain timeout (" + Duration.ofNanos(this.timeoutNanos).toMillis()
                    + " ms, zmq.proxies." + this.proxyName + ".drain-timeout)");
        }
        return true;
    }

    /**
     * Registers what can move the drain on: the request in hand's destination, and the replies.
     *
     * @return whether the wait must be a retry timer (see {@link MessagePump#needsRetryTimer()})
     */
    boolean wantEvents(ProxyPoller poller) {
        boolean retry = false;
        if (this.requests.inMessage()) {
            this.requests.wantEvents(poller);
            retry = this.requests.needsRetryTimer();
        }
        this.replies.wantEvents(poller);
        return retry | this.replies.needsRetryTimer();
    }

    /** Requests forwarded in this run whose replies have not come back (whole messages). */
    private long unanswered() {
        return this.requests.wholeMessages() - this.replies.wholeMessages();
    }
}
