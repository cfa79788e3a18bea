package io.github.zmqboot.socket;

import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import zmq.Msg;
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
 * of the hostile frame reaches the application, and close completes. Its cost is one sign check per frame. It must
 * be the last allocator set on a socket (setting {@code ZMQ_MSG_ALLOCATION_HEAP_THRESHOLD} later replaces it).
 */
final class FrameSizeGuard implements MsgAllocator {

    private static final Log logger = LogFactory.getLog(FrameSizeGuard.class);

    private final String socketName;

    private final MsgAllocator delegate;

    private final AtomicLong rejected = new AtomicLong();

    FrameSizeGuard(String socketName, MsgAllocator delegate) {
        this.socketName = socketName;
        this.delegate = delegate;
    }

    /** A guard over the engine's default allocator. */
    static FrameSizeGuard forSocket(String socketName) {
        return new FrameSizeGuard(socketName, ZMQ.DEFAULT_MSG_ALLOCATOR);
    }

    @Override
    public Msg allocate(int size) {
        if (size >= 0) {
            return this.delegate.allocate(size);
        }
        if (this.rejected.getAndIncrement() == 0) {
            logger.warn("Socket '" + this.socketName + "' received a frame with a negative size (the CVE-2019-6250 "
                    + "exploit pattern); the frame is dropped. Later ones are counted, not logged.");
        }
        Msg dropped = new Msg(0);
        dropped.setFlags(Msg.COMMAND);
        return dropped;
    }

    /** How many hostile frames this guard dropped. */
    long rejectedFrames() {
        return this.rejected.get();
    }
}
