package io.github.zmqboot.internal.engine;

import java.util.concurrent.atomic.AtomicLong;

import io.github.zmqboot.internal.monitor.SecurityLog;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import zmq.Msg;
import zmq.SocketBase;
import zmq.ZMQ;
import zmq.msg.MsgAllocator;

/**
 * The engine's message allocator with a guard against CVE-2019-6250 (JeroMQ #1005, fixed only on unreleased
 * master): a ZMTP frame whose 8-byte size is negative as a Java {@code long} reaches the allocator as a negative
 * size; JeroMQ 0.6.0 then throws {@code NegativeArraySizeException} inside its decoder and spins for ever on the
 * I/O thread, stopping every socket on it and hanging context termination.
 * <p>
 * This allocator answers such a size with an empty message flagged as a ZMTP command, which the session drops
 * silently, and hands every other size to the engine's normal allocator: legitimate traffic keeps flowing, nothing
 * of the hostile frame reaches the application, and close completes. Its cost is one range check per frame. It must
 * be the last allocator set on a socket (setting {@code ZMQ_MSG_ALLOCATION_HEAP_THRESHOLD} later replaces it).
 * <p>
 * Two more hostile sizes are dropped the same way (JeroMQ 0.6.0 checks the 8-byte size as a signed {@code long}
 * against {@code max-message-size}, then allocates its low 32 bits):
 * <ul>
 * <li>a size above the socket's {@code max-message-size}: it can only get here as a size negative as a
 * {@code long} whose low 32 bits are a larger positive {@code int} (e.g. {@code 0x80000000_7ffffff0}), which
 * passes the engine's check and would otherwise be allocated and delivered whatever the limit;</li>
 * <li>a size the JVM cannot allocate ({@link OutOfMemoryError}, e.g. a 2 GiB frame header on a socket without a
 * limit): uncaught, it ends the engine's I/O thread, and with it every socket on that thread.</li>
 * </ul>
 * The connection stays open in these cases and the bytes that follow are read as frames (an attacker could send
 * those as frames anyway). Each dropped frame is counted and logged at WARN under the {@link SecurityLog} rule; the
 * allocator is not told which connection the size came from, so the line names no address and all of a socket's
 * dropped frames share one line a minute.
 */
final class FrameSizeGuard implements MsgAllocator {

    private static final Log logger = LogFactory.getLog(FrameSizeGuard.class);

    private final String socketName;

    /** The socket whose frames this guard sees (for the {@link SecurityLog} rule), or null. */
    private final SocketBase socket;

    private final MsgAllocator delegate;

    private final AtomicLong rejected = new AtomicLong();

    /** A count shared by every socket of one factory, or null. */
    private java.util.concurrent.atomic.LongAdder total;

    /** The largest size handed to the delegate: {@code max-message-size}, or {@code Integer.MAX_VALUE}. */
    private final int limit;

    FrameSizeGuard(String socketName, MsgAllocator delegate) {
        this(socketName, null, delegate, -1);
    }

    /**
     * @param socket the socket whose frames this guard sees (null: none, e.g. a benchmark's)
     * @param maxMessageSize the socket's {@code max-message-size} in bytes ({@code -1}: no limit)
     */
    FrameSizeGuard(String socketName, SocketBase socket, MsgAllocator delegate, long maxMessageSize) {
        this.socketName = socketName;
        this.socket = socket;
        this.delegate = delegate;
        this.limit = maxMessageSize < 0 || maxMessageSize > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) maxMessageSize;
    }

    /** A guard over the engine's default allocator. */
    static FrameSizeGuard forSocket(String socketName) {
        return new FrameSizeGuard(socketName, ZMQ.DEFAULT_MSG_ALLOCATOR);
    }

    @Override
    public Msg allocate(int size) {
        if (size >= 0 && size <= this.limit) {
            try {
                return this.delegate.allocate(size);
            }
            catch (OutOfMemoryError ex) {
                return reject("a frame of " + size + " bytes that cannot be allocated (" + ex.getMessage() + ")");
            }
        }
        if (size < 0) {
            return reject("a frame with a negative size (the CVE-2019-6250 exploit pattern)");
        }
        return reject("a frame of " + size + " bytes, above max-message-size " + this.limit + ", whose 8-byte "
                + "size field is negative (it passes the engine's own size check)");
    }

    private Msg reject(String what) {
        long count = this.rejected.incrementAndGet();
        if (this.total != null) {
            this.total.increment();
        }
        SecurityLog.warn(logger, this.socket, null, () -> "Socket '" + this.socketName + "' received " + what
                + "; the frame is dropped (" + count + " dropped on this socket so far)");
        Msg dropped = new Msg(0);
        dropped.setFlags(Msg.COMMAND);
        return dropped;
    }

    /** Also counts every dropped frame in {@code total} (shared by the sockets of one factory). */
    FrameSizeGuard countingAlsoIn(java.util.concurrent.atomic.LongAdder total) {
        this.total = total;
        return this;
    }

    /** How many hostile frames this guard dropped (any of the reasons above). */
    long rejectedFrames() {
        return this.rejected.get();
    }
}
