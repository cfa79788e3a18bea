package io.github.zmqboot.sample;

import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;

/**
 * Logs per-message traffic without filling the disk under load: every message at DEBUG; at INFO the first
 * {@value #FIRST} and then every {@value #EVERY}th. (A million logged requests at INFO would be some 200 MB of log.)
 */
public final class TrafficLog {

    private static final long FIRST = 100;

    private static final long EVERY = 1000;

    private final Logger logger;

    private final AtomicLong messages = new AtomicLong();

    public TrafficLog(Logger logger) {
        this.logger = logger;
    }

    /** Logs one message's line (SLF4J format). */
    public void message(String format, Object... arguments) {
        long count = this.messages.incrementAndGet();
        if (count <= FIRST || count % EVERY == 0) {
            this.logger.info(format, arguments);
            if (count == FIRST) {
                this.logger.info("(from now on every {}th message is logged at INFO, each one at DEBUG)", EVERY);
            }
        }
        else if (this.logger.isDebugEnabled()) {
            this.logger.debug(format, arguments);
        }
    }
}
