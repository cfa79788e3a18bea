package io.github.zmqboot.internal.engine;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.StampedLock;

import zmq.Msg;
import zmq.SocketBase;
import zmq.ZError;

/**
 * What makes a {@link ManagedSocket} safe to use from any thread: its gate, a read-write lock that a close takes
 * exclusively, and, for a socket shared between threads, the socket's lock, held around every engine call. The
 * socket's one reading thread (a listener's, or a caller waiting for a reply) may wait inside the engine holding
 * that lock while no other thread wants the socket; a thread that wants it cancels that wait.
 * <p>
 * The lock of a shared socket is the engine's own socket lock ({@code threadSafeSync}): for a type the engine makes
 * thread-safe the engine takes it again inside each call (reentrant), and for any other type (PUSH, PUB, DEALER, ...)
 * it is what makes the socket safe to use from many threads, libzmq's rule being that such a socket may move between
 * threads given a full memory barrier. An unshared socket (a proxy's, used by one thread) holds the gate's read lock.
 */
final class SocketLock {

    /** What {@link #enter()} returns for a shared socket (its lock needs no stamp). */
    static final long SHARED_STAMP = 1;

    /** Busy checks of a contended shared lock before yielding: a non-blocking engine call lasts well under 1 us. */
    private static final int LOCK_SPINS = 64;

    /** Yields to other threads (the holder, if preempted) before parking on a contended shared lock. */
    private static final int LOCK_YIELDS = 16;

    private final SocketState socket;

    private final SocketBase base;

    private final StampedLock gate = new StampedLock();

    /** The shared socket's lock; {@code null} for an unshared socket. */
    private final ReentrantLock lock;

    /** Whether this shared socket's type is one the engine does not make thread-safe (the lock is all it has). */
    private final boolean confined;

    /**
     * Whether a thread can wait inside the engine for this socket's messages: false for the types that only send,
     * whose contended calls then skip the bookkeeping below.
     */
    private final boolean readable;

    /** Cancels the reading thread's wait inside the engine, so that another thread can take the engine's lock. */
    private final AtomicBoolean readerCancellation = new AtomicBoolean();

    /** Operations of other threads than the reading thread in progress or about to start (readable sockets). */
    private final AtomicInteger callers = new AtomicInteger();

    /** Whether the reading thread is (about to be) blocked inside the engine, holding the engine's lock. */
    private volatile boolean readerInEngine;

    SocketLock(SocketState socket, boolean shared, boolean readable) {
        this.socket = socket;
        this.base = socket.base();
        this.lock = shared ? (ReentrantLock) EngineInternals.lock(this.base) : null;
        this.confined = shared && !EngineInternals.isThreadSafe(this.base);
        this.readable = readable;
    }

    /** Whether the socket is shared between threads (it has a lock of its own). */
    boolean isShared() {
        return this.lock != null;
    }

    /** Whether this is a shared socket of a type the engine does not make thread-safe. */
    boolean isConfined() {
        return this.confined;
    }

    /** See {@link ManagedSocket#enter()}. */
    long enter() {
        ReentrantLock lock = this.lock;
        if (lock == null) {
            return enterGate();
        }
        if (!lock.tryLock()) {
            enterContended(lock);
        }
        if (this.socket.isClosed()) {
            lock.unlock();
            throw this.socket.closedException();
        }
        return SHARED_STAMP;
    }

    /** See {@link ManagedSocket#exit(long)}. */
    void exit(long stamp) {
        ReentrantLock lock = this.lock;
        if (lock != null) {
            lock.unlock();
            return;
        }
        this.gate.unlockRead(stamp);
        this.callers.decrementAndGet();
    }

    private long enterGate() {
        this.callers.incrementAndGet();
        long stamp = this.gate.readLock();
        if (this.socket.isClosed()) {
            this.gate.unlockRead(stamp);
            this.callers.decrementAndGet();
            throw this.socket.closedException();
        }
        return stamp;
    }

    /**
     * Another thread holds the socket's lock: the reading thread, maybe, waiting inside the engine (cancel that wait),
     * or a caller in the middle of a call. Counted meanwhile, so that the reading thread does not wait inside the
     * engine again while others queue for the socket.
     */
    private void enterContended(ReentrantLock lock) {
        if (!this.readable) {
            acquireContended(lock); // nobody ever waits inside the engine on this socket
            return;
        }
        this.callers.incrementAndGet();
        try {
            if (this.readerInEngine) {
                wakeReader();
            }
            acquireContended(lock);
        }
        finally {
            this.callers.decrementAndGet();
        }
    }

    /**
     * Takes a contended socket lock. Another thread holds it for one short non-blocking engine call (or the reading
     * thread for its wait inside the engine, which was cancelled): spin, then yield, and park only when that did not
     * do. Parking at once, as {@link ReentrantLock#lock()} does, would cost every contended call two context switches,
     * ten times the call itself.
     */
    private static void acquireContended(ReentrantLock lock) {
        for (int i = 0; i < LOCK_SPINS; i++) {
            Thread.onSpinWait();
            if (!lock.isLocked() && lock.tryLock()) {
                return;
            }
        }
        for (int i = 0; i < LOCK_YIELDS; i++) {
            Thread.yield();
            if (lock.tryLock()) {
                return;
            }
        }
        lock.lock();
    }

    /** See {@link ManagedSocket#releaseShared()}. */
    int releaseShared() {
        ReentrantLock lock = this.lock;
        if (lock == null || !lock.isHeldByCurrentThread()) {
            return 0;
        }
        int holds = lock.getHoldCount();
        for (int i = 0; i < holds; i++) {
            lock.unlock();
        }
        return holds;
    }

    /** See {@link ManagedSocket#reacquireShared(int)}. */
    void reacquireShared(int holds) {
        if (holds == 0) {
            return;
        }
        ReentrantLock lock = this.lock;
        if (!lock.tryLock()) {
            enterContended(lock);
        }
        for (int i = 1; i < holds; i++) {
            lock.lock(); // reentrant: held already
        }
        if (this.socket.isClosed()) {
            throw this.socket.closedException();
        }
    }

    /** See {@link ManagedSocket#enterAsReader()}. */
    long enterAsReader() {
        long stamp = this.gate.readLock();
        if (this.socket.isClosed()) {
            this.gate.unlockRead(stamp);
            throw this.socket.closedException();
        }
        if (this.confined) {
            ReentrantLock lock = this.lock;
            if (!lock.tryLock()) {
                acquireContended(lock);
            }
        }
        return stamp;
    }

    /** See {@link ManagedSocket#exitAsReader(long)}. */
    void exitAsReader(long stamp) {
        if (this.confined) {
            this.lock.unlock();
        }
        this.gate.unlockRead(stamp);
    }

    /**
     * Receives one message as the socket's reading thread, holding the socket's lock (or the gate). While no other
     * thread wants the socket, it waits inside the engine, as the engine's own blocking receive does (which consumes
     * its wake-up signal properly and is the fastest way to wait), up to the engine's receive timeout; an operation of
     * another thread cancels that wait at once. While other threads want the socket, it only takes what is there.
     *
     * @param canceled the token of a call that does not wait (the socket's, cancelled by its close)
     * @return the message, or {@code null} with the engine's {@code errno}: {@code EAGAIN} when nothing came (or,
     *         when others want the socket, nothing was there), {@code ECANCELED} when another thread, a stop or a
     *         close needs the socket, anything else when it is gone
     */
    Msg receiveInEngine(AtomicBoolean canceled) {
        this.readerInEngine = true;
        try {
            // announced first, then checked: a contending caller either sees the announcement or is seen here
            if (this.callers.get() > 0) {
                return this.base.recv(zmq.ZMQ.ZMQ_DONTWAIT, canceled);
            }
            Msg msg = this.base.recv(0, this.readerCancellation);
            if (msg == null && this.base.errno() == ZError.ECANCELED && !this.socket.isClosed()) {
                this.readerCancellation.set(false); // a caller's (or a stop's) cancellation, taken
            }
            return msg;
        }
        finally {
            this.readerInEngine = false;
        }
    }

    /** Whether other threads than the reading thread use the socket right now. */
    boolean hasOtherCallers() {
        return this.callers.get() > 0;
    }

    /**
     * Ends the reading thread's wait inside the engine, if any (for another caller or a stop). A no-op on a socket
     * that is closing or closed: its close cancels the wait itself, and the engine fails on a closed socket's cancel.
     */
    void wakeReader() {
        long stamp = this.gate.tryReadLock();
        if (stamp == 0) {
            return; // a close holds the gate
        }
        try {
            if (!this.socket.isClosed()) {
                this.base.cancel(this.readerCancellation);
            }
        }
        finally {
            this.gate.unlockRead(stamp);
        }
    }

    /** For a close, after the socket's calls were cancelled: also cancels the reading thread's wait. */
    void cancelReader() {
        this.base.cancel(this.readerCancellation);
    }

    /**
     * For a close: takes the gate exclusively (a reading thread's message in hand is handled first) within
     * {@code seconds}.
     *
     * @return the stamp, 0 when not had in time
     */
    long lockGateForClose(long seconds) {
        try {
            return this.gate.tryWriteLock(seconds, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /**
     * For a close, after {@link #lockGateForClose}: takes a shared socket's lock (a call in progress finishes first;
     * its waits were cancelled) within {@code seconds}; true when held (always for an unshared socket).
     */
    boolean lockSharedForClose(long seconds) {
        if (this.lock == null) {
            return true;
        }
        try {
            return this.lock.tryLock(seconds, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Releases what a close took: the gate's {@code stamp} (0: none) and, when {@code locked}, the shared lock. */
    void unlockAfterClose(long stamp, boolean locked) {
        if (locked && this.lock != null) {
            this.lock.unlock();
        }
        if (stamp != 0) {
            this.gate.unlockWrite(stamp);
        }
    }
}
