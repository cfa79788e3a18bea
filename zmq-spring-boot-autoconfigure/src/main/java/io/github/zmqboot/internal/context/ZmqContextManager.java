package io.github.zmqboot.internal.context;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.github.zmqboot.core.ZmqError;
import io.github.zmqboot.core.ZmqException;
import io.github.zmqboot.core.ZmqThreadFactory;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * Owns the application's single ZeroMQ context and every socket created in it.
 * <p>
 * {@link #close()} (called when the application context closes, after listeners and proxies stopped) closes
 * every socket that is still open, each with its linger, then terminates the context. Termination waits at most
 * the longest linger plus one second; should the engine still not finish (a stuck I/O thread), the wait is
 * abandoned with an error log instead of hanging the application's shutdown. No thread inside the engine is
 * ever interrupted (interrupts are what make JeroMQ's {@code close()} hang).
 */
public class ZmqContextManager implements AutoCloseable {

    private static final Log logger = LogFactory.getLog(ZmqContextManager.class);

    /** How long an infinite linger is allowed to hold up shutdown. */
    static final Duration INFINITE_LINGER_BOUND = Duration.ofSeconds(30);

    private static final Duration TERMINATION_GRACE = Duration.ofSeconds(1);

    private final ZMQ.Context context;

    private final Set<ContextResource> resources = ConcurrentHashMap.newKeySet();

    private final Object lifecycleMonitor = new Object();

    private volatile boolean terminated;

    private volatile long longestLingerMillis;

    private final ZmqThreadFactory threads;

    /**
     * Creates the context; the starter's threads are {@link ZmqThreadFactory#platform() platform} threads.
     *
     * @param ioThreads the number of I/O threads (0 allows only inproc)
     * @param maxSockets the most sockets the context may hold
     */
    public ZmqContextManager(int ioThreads, int maxSockets) {
        this(ioThreads, maxSockets, ZmqThreadFactory.platform());
    }

    /**
     * Creates the context.
     *
     * @param ioThreads the number of I/O threads (0 allows only inproc)
     * @param maxSockets the most sockets the context may hold
     * @param threads makes every thread the starter starts for this context's sockets (the engine's own I/O and
     * reaper threads excepted)
     */
    public ZmqContextManager(int ioThreads, int maxSockets, ZmqThreadFactory threads) {
        this.threads = threads;
        this.context = ZMQ.context(ioThreads);
        if (!this.context.setMaxSockets(maxSockets)) {
            this.context.term();
            throw new IllegalArgumentException("max-sockets " + maxSockets + " was refused by the engine");
        }
    }

    /** The engine's context, for customizers and advanced use. Sockets should come from the socket factory. */
    public ZMQ.Context context() {
        return this.context;
    }

    /** Makes every thread the starter starts for this context's sockets: readers, proxies, the socket monitor. */
    public ZmqThreadFactory threads() {
        return this.threads;
    }

    /** Whether {@link #close()} has begun: every socket of this context then reports {@code ETERM}. */
    public boolean isTerminated() {
        return this.terminated;
    }

    /**
     * Creates a raw engine socket and registers what {@code wrap} makes of it, so that the socket is closed before
     * the context terminates.
     *
     * @throws ZmqException {@code ETERM} after {@link #close()}, or the engine's error (e.g. too many sockets)
     */
    public <R extends ContextResource> R createSocket(SocketType type, Function<ZMQ.Socket, R> wrap) {
        synchronized (this.lifecycleMonitor) {
            if (this.terminated) {
                throw new ZmqException(ZmqError.ETERM, "the ZeroMQ context is terminated");
            }
            ZMQ.Socket socket;
            try {
                socket = this.context.socket(type);
            }
            catch (ZMQException ex) {
                throw new ZmqException(ZmqError.fromErrno(ex.getErrorCode()), "cannot create a " + type + " socket", ex);
            }
            R resource;
            try {
                // before anything can send the socket a command: see GuardedMailbox for the engine's close race
                GuardedMailbox.install(socket.base());
                resource = wrap.apply(socket);
            }
            catch (RuntimeException ex) {
                socket.setLinger(0);
                socket.close();
                throw ex;
            }
            this.resources.add(resource);
            long linger = resource.lingerMillis() < 0 ? INFINITE_LINGER_BOUND.toMillis() : resource.lingerMillis();
            this.longestLingerMillis = Math.max(this.longestLingerMillis, linger);
            return resource;
        }
    }

    /** Forgets a resource that closed itself. */
    public void release(ContextResource resource) {
        this.resources.remove(resource);
    }

    /**
     * Closes every open socket, then terminates the context, waiting at most the longest linger plus one second.
     * Idempotent.
     */
    @Override
    public void close() {
        synchronized (this.lifecycleMonitor) {
            if (this.terminated) {
                return;
            }
            this.terminated = true;
        }
        for (ContextResource resource : this.resources.toArray(ContextResource[]::new)) {
            try {
                resource.closeForTermination();
            }
            catch (RuntimeException ex) {
                logger.warn("Failed to close ZeroMQ socket " + resource + " while terminating the context", ex);
            }
        }
        this.resources.clear();
        Duration bound = Duration.ofMillis(this.longestLingerMillis).plus(TERMINATION_GRACE);
        if (!runBounded(this.threads, this.context::term, bound)) {
            logger.error("The ZeroMQ context did not terminate within " + bound.toMillis()
                    + " ms (an engine I/O thread is stuck); continuing shutdown without it");
        }
        else {
            logger.info("ZeroMQ context terminated");
        }
    }

    /**
     * Runs {@code action} on a thread of its own ({@link ZmqThreadFactory.Role#CONTEXT_TERMINATION}) and waits at most
     * {@code bound}; never interrupts it.
     *
     * @return whether the action finished in time
     */
    static boolean runBounded(ZmqThreadFactory threads, Runnable action, Duration bound) {
        CountDownLatch done = new CountDownLatch(1);
        Thread thread = threads.newThread(ZmqThreadFactory.Role.CONTEXT_TERMINATION, "zmq-context-termination", () -> {
            try {
                action.run();
            }
            finally {
                done.countDown();
            }
        });
        thread.start();
        try {
            return done.await(bound.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Something that holds an engine socket of this context and must close it before the context terminates.
     */
    public interface ContextResource {

        /** The socket's linger in milliseconds (negative = infinite). */
        long lingerMillis();

        /** Closes the socket because the context terminates: later calls on it report {@code ETERM}. */
        void closeForTermination();
    }
}
