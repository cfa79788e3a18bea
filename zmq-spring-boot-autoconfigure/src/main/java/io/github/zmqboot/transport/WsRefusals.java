package io.github.zmqboot.transport;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Connections refused for bad input on this project's transports (plain HTTP, a wrong subprotocol, text or fragmented
 * frames, oversized frames, garbage, a TLS handshake that fails): counted, and logged at most once per remote address
 * per minute with the number refused since.
 */
final class WsRefusals {

    private static final Log logger = LogFactory.getLog(WsRefusals.class);

    private static final long WINDOW_NANOS = TimeUnit.MINUTES.toNanos(1);

    private static final AtomicLong TOTAL = new AtomicLong();

    private static final ConcurrentHashMap<String, Window> WINDOWS = new ConcurrentHashMap<>();

    private WsRefusals() {
    }

    /** How many connections were refused for bad input since the JVM started. */
    static long total() {
        return TOTAL.get();
    }

    static void refused(String remote, String endpoint, String what) {
        TOTAL.incrementAndGet();
        long now = System.nanoTime();
        Window window = WINDOWS.compute(remote, (key, old) -> (old == null || now - old.start > WINDOW_NANOS)
                ? new Window(now, old == null ? 0 : old.suppressed.get()) : old);
        if (window.start == now) {
            long earlier = window.carried;
            logger.warn("Closed a connection from " + (remote.isEmpty() ? "an unknown address" : remote) + " on "
                    + endpoint + ": " + what + (earlier > 0 ? " (" + earlier + " more from there in the last minute)"
                    : ""));
        }
        else {
            window.suppressed.incrementAndGet();
        }
        if (WINDOWS.size() > 10_000) {
            WINDOWS.entrySet().removeIf(entry -> now - entry.getValue().start > WINDOW_NANOS);
        }
    }

    /** Starts every remote address's log window afresh (tests). */
    static void resetWindows() {
        WINDOWS.clear();
    }

    static String describe(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private static final class Window {

        final long start;

        final long carried;

        final AtomicLong suppressed = new AtomicLong();

        Window(long start, long carried) {
            this.start = start;
            this.carried = carried;
        }
    }
}
