package io.github.zmqboot.internal.monitor;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import zmq.SocketBase;

/**
 * The one rule for every security and hostile-input log line (ZAP denials, failed or timed-out handshakes, dropped
 * hostile frames, oversize drops, refused connections): <strong>at most one line per socket and remote IP address
 * per minute</strong>. The address is taken without its port (a client that reconnects gets a new one). A line for a
 * socket and address logs at once when none did in the minute before; what follows within that minute is counted,
 * not logged. When the minute ends with something counted, one line says how many lines were left out and repeats
 * the last of them; it starts the next minute. A socket that closes has its counts logged at once.
 * <p>
 * Memory stays bounded: past {@value #MAX_ENTRIES} socket-and-address pairs, further addresses of a socket share
 * one entry ({@value #OTHER_ADDRESSES}). The deferred lines are written by one daemon thread, {@value #THREAD_NAME},
 * that runs only while some pair is inside its minute.
 * <p>
 * Every caller uses the static methods; {@link #register(SocketBase, String)} gives a socket the name the deferred
 * lines show.
 */
public final class SecurityLog {

    /** How long a socket-and-address pair stays quiet after a line. */
    public static final Duration WINDOW = Duration.ofMinutes(1);

    static final int MAX_ENTRIES = 10_000;

    static final String OTHER_ADDRESSES = "other addresses";

    static final String UNKNOWN_ADDRESS = "an unknown address";

    static final String THREAD_NAME = "zmq-security-log";

    private static final SecurityLog SHARED = new SecurityLog(WINDOW);

    private final long windowNanos;

    private final long sweepNanos;

    private final Map<Key, Window> windows = new ConcurrentHashMap<>();

    /** The name of each registered socket (weakly held: a socket that is gone takes its entry with it). */
    private static final Map<SocketBase, String> NAMES = Collections.synchronizedMap(new WeakHashMap<>());

    private final LongAdder suppressed = new LongAdder();

    private final AtomicBoolean sweeping = new AtomicBoolean();

    private final ScheduledThreadPoolExecutor sweeper;

    SecurityLog(Duration window) {
        this.windowNanos = window.toNanos();
        this.sweepNanos = Math.min(TimeUnit.SECONDS.toNanos(1), Math.max(1, this.windowNanos / 4));
        this.sweeper = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, THREAD_NAME);
            thread.setDaemon(true);
            return thread;
        });
        this.sweeper.setKeepAliveTime(5, TimeUnit.SECONDS);
        this.sweeper.allowCoreThreadTimeOut(true);
    }

    /** Names {@code socket} in the deferred lines (the socket factory registers every socket it makes). */
    public static void register(SocketBase socket, String name) {
        NAMES.put(socket, name);
    }

    /** The name {@code socket} was registered with, or null. */
    public static String socketName(SocketBase socket) {
        return socket == null ? null : NAMES.get(socket);
    }

    /**
     * Logs {@code line} at WARN, or counts it when a line for this socket and remote address went out less than a
     * minute ago.
     *
     * @param logger the logger of the class that reports
     * @param socket the socket the line is about (null: lines without a socket share one budget per address)
     * @param remote the remote address (IP, {@code ip:port}, {@code [ipv6]:port}, {@code host/ip:port}); null or
     * empty when unknown
     * @param line the line, asked for only when it is written
     * @return whether the line was written now
     */
    public static boolean warn(Log logger, SocketBase socket, String remote, Supplier<String> line) {
        return SHARED.log(logger, true, socket, remote, line);
    }

    /** {@link #warn} at INFO (e.g. a ZAP denial: a refused client is expected, not a fault). */
    public static boolean info(Log logger, SocketBase socket, String remote, Supplier<String> line) {
        return SHARED.log(logger, false, socket, remote, line);
    }

    /** Writes the counts still pending for {@code socket} and forgets it (the socket closed). */
    public static void forget(SocketBase socket) {
        SHARED.flush(socket);
        NAMES.remove(socket);
    }

    /** How many lines this rule has left out since the JVM started. */
    public static long suppressedLines() {
        return SHARED.suppressed();
    }

    /** The IP address of a socket address, without its port (null: {@value #UNKNOWN_ADDRESS}). */
    public static String ip(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            InetAddress ip = inet.getAddress();
            return ip != null ? ip.getHostAddress() : inet.getHostString();
        }
        return address == null ? UNKNOWN_ADDRESS : ip(address.toString());
    }

    /**
     * The IP address in {@code address} without a port: {@code 10.0.0.7:5555} and {@code /10.0.0.7:5555} give
     * {@code 10.0.0.7}, {@code [::1]:5555} gives {@code ::1}; an address without a port stays as it is.
     */
    public static String ip(String address) {
        if (address == null || address.isBlank()) {
            return UNKNOWN_ADDRESS;
        }
        String text = address.trim();
        int slash = text.indexOf('/');
        if (slash >= 0) {
            text = text.substring(slash + 1); // InetSocketAddress#toString: host/ip:port
        }
        if (text.startsWith("[")) {
            int end = text.indexOf(']');
            return end > 0 ? text.substring(1, end) : text;
        }
        int colon = text.indexOf(':');
        if (colon > 0 && colon == text.lastIndexOf(':')) {
            return text.substring(0, colon); // ipv4:port (a bare IPv6 address has several colons)
        }
        return text.isEmpty() ? UNKNOWN_ADDRESS : text;
    }

    boolean log(Log logger, boolean warn, SocketBase socket, String remote, Supplier<String> line) {
        Key key = new Key(socket, ip(remote));
        long now = System.nanoTime();
        while (true) {
            Window window = this.windows.get(key);
            if (window == null) {
                if (this.windows.size() >= MAX_ENTRIES && !key.ip().equals(OTHER_ADDRESSES)) {
                    key = new Key(socket, OTHER_ADDRESSES);
                    continue;
                }
                Window fresh = new Window(now, logger, warn);
                if (this.windows.putIfAbsent(key, fresh) == null) {
                    write(logger, warn, line.get());
                    startSweeping();
                    return true;
                }
                continue;
            }
            synchronized (window) {
                if (window.removed) {
                    continue; // swept or flushed meanwhile: this line starts a fresh minute
                }
                window.count++;
                window.last = line;
                window.warn |= warn;
            }
            this.suppressed.increment();
            return false;
        }
    }

    long suppressed() {
        return this.suppressed.sum();
    }

    /** Pairs inside their minute (tests). */
    int entries() {
        return this.windows.size();
    }

    void flush(SocketBase socket) {
        this.windows.forEach((key, window) -> {
            if (key.socket() == socket) {
                close(key, window, true);
            }
        });
    }

    /** Each pair whose minute ended: logs its count (and starts a new minute) or, with nothing counted, ends. */
    private void sweep() {
        long now = System.nanoTime();
        try {
            this.windows.forEach((key, window) -> {
                if (now - window.start >= this.windowNanos) {
                    close(key, window, false);
                }
            });
        }
        finally {
            this.sweeping.set(false);
            if (!this.windows.isEmpty()) {
                startSweeping();
            }
        }
    }

    /** @param forget whether the pair ends even when something was counted (its socket closed) */
    private void close(Key key, Window window, boolean forget) {
        String summary = null;
        Log logger;
        boolean warn;
        synchronized (window) {
            if (window.removed) {
                return;
            }
            logger = window.logger;
            warn = window.warn;
            if (window.count > 0) {
                summary = summary(key, window.count, window.last);
                window.count = 0;
                window.last = null;
                window.warn = false;
                window.start = System.nanoTime();
            }
            if (summary == null || forget) {
                window.removed = true;
                this.windows.remove(key, window);
            }
        }
        if (summary != null) {
            write(logger, warn, summary);
        }
    }

    private String summary(Key key, long count, Supplier<String> last) {
        String name = key.socket() != null ? NAMES.get(key.socket()) : null;
        String lastLine;
        try {
            lastLine = last != null ? last.get() : "";
        }
        catch (RuntimeException ex) {
            lastLine = "(" + ex + ")";
        }
        return (name != null ? "Socket '" + name + "'" : "A socket") + ": " + count + " more security line"
                + (count == 1 ? "" : "s") + " about " + key.ip() + " were not logged (at most one line per socket and"
                + " address a minute); the last: " + lastLine;
    }

    private void startSweeping() {
        if (this.sweeping.compareAndSet(false, true)) {
            try {
                this.sweeper.schedule(this::sweep, this.sweepNanos, TimeUnit.NANOSECONDS);
            }
            catch (RuntimeException ex) {
                this.sweeping.set(false);
            }
        }
    }

    private static void write(Log logger, boolean warn, String line) {
        if (warn) {
            logger.warn(line);
        }
        else {
            logger.info(line);
        }
    }

    private record Key(SocketBase socket, String ip) {

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.socket == this.socket && key.ip.equals(this.ip);
        }

        @Override
        public int hashCode() {
            return 31 * System.identityHashCode(this.socket) + this.ip.hashCode();
        }
    }

    private static final class Window {

        long start;

        final Log logger;

        boolean warn;

        long count;

        Supplier<String> last;

        boolean removed;

        Window(long start, Log logger, boolean warn) {
            this.start = start;
            this.logger = Objects.requireNonNull(logger);
            this.warn = warn;
        }
    }
}
