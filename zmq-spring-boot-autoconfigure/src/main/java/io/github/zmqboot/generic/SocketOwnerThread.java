package io.github.zmqboot.generic;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.github.zmqboot.socket.PhantomSignal;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.zeromq.ZMQ;

/**
 * The one thread that owns a socket the engine does not make thread-safe, from creation to close: a small event
 * loop that waits on the socket and on a wake-up pipe at once, and each round runs the tasks other threads handed
 * over, then lets its {@link Handler} act on the socket's readiness and its deadlines.
 * <p>
 * Waiting uses the engine's own readiness protocol, the one its {@code ZMQ.Poller} is built on ({@code ZMQ_EVENTS}
 * plus the socket's {@code ZMQ_FD}, its mailbox channel): first ask the socket for {@code ZMQ_EVENTS} (which also
 * processes its pending commands); only when nothing wanted is ready, wait in a {@link Selector} on the mailbox
 * channel and on the wake-up pipe's source, then ask again. The channels stay registered with one selector for the
 * thread's life instead of being registered anew on every call, as {@code ZMQ.Poller.poll} does (in a profile,
 * {@code Poller.poll} was the owner thread's largest cost).
 * <p>
 * Hand-over: {@link #execute(Runnable)} queues a task and writes one byte to the wake-up pipe only when the loop is
 * waiting (or about to): the loop announces its wait, then checks the queue once more, so a task is never missed
 * and a busy loop costs its callers no system call. A caller interrupted while writing closes a NIO channel (Java's
 * rule); the loop then sees the pipe's end of file and opens a new one, so an interrupt can delay a round but never
 * wedge the socket.
 * <p>
 * The loop never blocks in the engine: it only waits in the selector, and the handler uses non-blocking calls. A
 * task running on this thread that must wait for the socket itself (a send from a listener's handler while the
 * queue is full) waits with {@link #awaitNested(BooleanSupplier)}, which keeps serving the socket's readiness and
 * deadlines but runs no other task, and ends early when {@link #requestStop()} was called.
 */
public final class SocketOwnerThread {

    private static final Log logger = LogFactory.getLog(SocketOwnerThread.class);

    /** The longest single wait: a safety net only, every event wakes the loop at once. */
    private static final long MAX_WAIT_MILLIS = 1000;

    /** What the loop serves: the socket, the events it waits for, and what to do each round. */
    public interface Handler {

        /** The socket to wait on now, or null when there is none (before creation, after close). */
        ZMQ.Socket socket();

        /**
         * The socket events ({@code ZMQ_POLLIN}, {@code ZMQ_POLLOUT}) the handler waits for now, 0 for none;
         * {@code nested} is true inside {@link #awaitNested(BooleanSupplier)}.
         */
        int interest(boolean nested);

        /**
         * Called before the loop checks and waits on the socket: lets the handler guard the socket meanwhile (the
         * engine processes the socket's commands while it is checked).
         *
         * @return false when the socket cannot be waited on (it closed meanwhile)
         */
        boolean enterWait();

        /** Called after a wait for which {@link #enterWait()} returned true. */
        void exitWait();

        /** The earliest {@link System#nanoTime()} deadline the handler waits for, or {@link Long#MAX_VALUE}. */
        long nextDeadline();

        /**
         * Acts on the socket once per round, after the wait.
         *
         * @param readyEvents the events of {@link #interest(boolean)} that are ready (0 after a timeout or wake-up)
         * @param now {@link System#nanoTime()} after the wait
         * @param nested whether this round runs inside {@link #awaitNested(BooleanSupplier)}
         */
        void onRound(int readyEvents, long now, boolean nested);

        /** Called once on the owner thread when the loop ends (after {@link #requestStop()}). */
        void onStopped();
    }

    private final Thread thread;

    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();

    /** Set while the loop waits (or is about to): only then does a new task need a wake-up byte. */
    private final AtomicBoolean waiting = new AtomicBoolean();

    private final ByteBuffer drainBuffer = ByteBuffer.allocate(64);

    private volatile Pipe wakeup;

    private volatile boolean stopRequested;

    private volatile boolean ended;

    private Handler handler;

    private Selector selector;

    private SelectionKey wakeupKey;

    private ZMQ.Socket watchedSocket;

    private SelectionKey socketKey;

    private final PhantomSignal phantom = new PhantomSignal();

    /**
     * Creates the thread (not started).
     *
     * @param threadName the thread's name
     */
    public SocketOwnerThread(String threadName) {
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
        try {
            this.wakeup = openWakeup();
        }
        catch (IOException ex) {
            throw new IllegalStateException("Cannot open the wake-up pipe of " + threadName, ex);
        }
    }

    /** Starts the loop serving {@code handler}. */
    public void start(Handler handler) {
        this.handler = handler;
        this.thread.start();
    }

    /** Whether the calling thread is this owner thread. */
    public boolean isOwnerThread() {
        return Thread.currentThread() == this.thread;
    }

    /** Whether the loop has ended: tasks handed over from now on never run. */
    public boolean hasEnded() {
        return this.ended;
    }

    /** Whether the loop was asked to stop (it may still be finishing its round). */
    public boolean isStopRequested() {
        return this.stopRequested;
    }

    /**
     * Hands {@code task} to the owner thread. Every task accepted runs exactly once, also when the loop stops
     * meanwhile (then after the handler's {@link Handler#onStopped()}, so it finds the socket closed).
     *
     * @return false when the loop has ended and the task will never run
     */
    public boolean execute(Runnable task) {
        if (this.ended) {
            return false;
        }
        this.tasks.add(task);
        if (this.waiting.compareAndSet(true, false)) {
            writeWakeup();
        }
        if (this.ended) {
            // the loop may have drained its queue for the last time before the task was added
            return !this.tasks.remove(task);
        }
        return true;
    }

    /**
     * Runs {@code action} on the owner thread and returns its result: inline when called on the owner thread, else
     * handed over while the caller waits (exceptions reach the caller).
     *
     * @param whenEnded the exception to throw when the loop has ended
     */
    public <T> T call(Supplier<T> action, Supplier<RuntimeException> whenEnded) {
        if (isOwnerThread()) {
            return action.get();
        }
        PendingOutcome<T> outcome = new PendingOutcome<>();
        boolean accepted = execute(() -> {
            if (!outcome.take()) {
                return;
            }
            try {
                outcome.complete(action.get());
            }
            catch (RuntimeException | Error ex) {
                outcome.fail(ex instanceof RuntimeException runtime ? runtime : new IllegalStateException(ex));
            }
        });
        if (!accepted) {
            throw whenEnded.get();
        }
        return outcome.await(Long.MAX_VALUE, () -> null);
    }

    /** Asks the loop to end after its current round; call {@link #awaitEnd(long)} to wait for it. */
    public void requestStop() {
        this.stopRequested = true;
        if (!isOwnerThread()) {
            writeWakeup(); // also when not waiting yet: a nested wait must see the request at once
        }
    }

    /** Waits at most {@code timeoutMillis} for the loop to end; true when it ended. Never interrupts it. */
    public boolean awaitEnd(long timeoutMillis) {
        if (isOwnerThread()) {
            return false;
        }
        try {
            this.thread.join(timeoutMillis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        return !this.thread.isAlive();
    }

    /**
     * On the owner thread: keeps serving the handler's socket and deadlines (rounds without tasks) until
     * {@code done} is true or a stop was requested.
     *
     * @return whether {@code done} became true
     */
    public boolean awaitNested(BooleanSupplier done) {
        if (!isOwnerThread()) {
            throw new IllegalStateException("awaitNested runs on the owner thread only");
        }
        while (!done.getAsBoolean()) {
            if (this.stopRequested) {
                return false;
            }
            round(true);
        }
        return true;
    }

    private void run() {
        try {
            this.selector = Selector.open();
            this.wakeupKey = this.wakeup.source().register(this.selector, SelectionKey.OP_READ);
            while (!this.stopRequested) {
                runTasks();
                if (this.stopRequested) {
                    break;
                }
                round(false);
            }
        }
        catch (IOException | RuntimeException | Error ex) {
            logger.error("Owner thread " + this.thread.getName() + " failed; its socket stops working", ex);
        }
        finally {
            finish();
        }
    }

    /** One check of the socket, a wait when nothing wanted is ready, and the handler's turn. */
    private void round(boolean nested) {
        Thread.interrupted(); // an interrupt would make every engine call fail with EINTR and the wait spin
        ZMQ.Socket socket = this.handler.socket();
        int interest = socket != null ? this.handler.interest(nested) : 0;
        boolean entered = interest != 0 && this.handler.enterWait();
        int ready = 0;
        try {
            ready = entered ? readyEvents(socket, interest) : 0;
            if (ready == 0) {
                watch(entered ? socket : null);
                if (entered && this.phantom.takePhantom()) {
                    backOff(nested); // the last signal brought nothing: its byte is consumed by the next check
                }
                else {
                    await(nested);
                }
                ready = entered ? readyEvents(socket, interest) : 0;
            }
            if (ready != 0) {
                this.phantom.progressed();
            }
        }
        finally {
            if (entered) {
                this.handler.exitWait();
            }
        }
        try {
            this.handler.onRound(Math.max(ready, 0), System.nanoTime(), nested);
        }
        catch (RuntimeException ex) {
            if (this.stopRequested) {
                logger.debug("Owner thread " + this.thread.getName() + " stopping: " + ex);
            }
            else {
                logger.warn("Owner thread " + this.thread.getName() + " failed to serve its socket this round", ex);
            }
        }
    }

    /** {@code ZMQ_EVENTS} within {@code interest}; 0 when the engine reports an error (the handler's calls tell). */
    private static int readyEvents(ZMQ.Socket socket, int interest) {
        int events = socket.base().getSocketOpt(zmq.ZMQ.ZMQ_EVENTS);
        return events < 0 ? 0 : events & interest;
    }

    /** Waits until the watched socket is signalled, a task or stop request arrives, or the next deadline. */
    private void await(boolean nested) {
        long timeout = waitMillis(nested);
        if (timeout == 0) {
            return;
        }
        if (!nested) {
            this.waiting.set(true);
            if (!this.tasks.isEmpty()) { // a task queued before the announcement: no wake-up byte comes for it
                this.waiting.set(false);
                return;
            }
        }
        try {
            this.selector.select(timeout);
            if (this.selector.selectedKeys().remove(this.wakeupKey)) {
                drainWakeup();
            }
            this.phantom.selected(this.socketKey != null && this.selector.selectedKeys().contains(this.socketKey));
            this.selector.selectedKeys().clear();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        finally {
            if (!nested) {
                this.waiting.set(false);
            }
        }
    }

    /** Parks briefly after a phantom signal, unless a task, a stop request or a deadline is due. */
    private void backOff(boolean nested) {
        if (waitMillis(nested) != 0) {
            this.phantom.backOff();
        }
    }

    private long waitMillis(boolean nested) {
        if (this.stopRequested || (!nested && !this.tasks.isEmpty())) {
            return 0;
        }
        long deadline = this.handler.nextDeadline();
        if (deadline == Long.MAX_VALUE) {
            return MAX_WAIT_MILLIS;
        }
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            return 0;
        }
        // round up: waking a millisecond early would only cost another round
        return Math.min(MAX_WAIT_MILLIS, TimeUnit.NANOSECONDS.toMillis(remaining + 999_999));
    }

    /** Watches {@code socket}'s mailbox channel in the selector, or no socket when null. */
    private void watch(ZMQ.Socket socket) {
        if (socket != null && socket != this.watchedSocket) {
            if (this.socketKey != null) {
                this.socketKey.cancel(); // the replaced socket's channel
            }
            try {
                this.socketKey = socket.getFD().register(this.selector, SelectionKey.OP_READ);
                this.watchedSocket = socket;
            }
            catch (ClosedChannelException ex) {
                this.socketKey = null;
                this.watchedSocket = null;
                return;
            }
        }
        if (this.socketKey != null && this.socketKey.isValid()) {
            int ops = socket != null ? SelectionKey.OP_READ : 0;
            if (this.socketKey.interestOps() != ops) {
                this.socketKey.interestOps(ops);
            }
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = this.tasks.poll()) != null) {
            runTask(task);
            if (this.stopRequested) {
                return;
            }
        }
    }

    private void runTask(Runnable task) {
        try {
            task.run();
        }
        catch (RuntimeException ex) {
            logger.error("Task on owner thread " + this.thread.getName() + " failed", ex);
        }
    }

    private void finish() {
        try {
            this.handler.onStopped();
        }
        catch (RuntimeException ex) {
            logger.error("Closing on owner thread " + this.thread.getName() + " failed", ex);
        }
        this.ended = true;
        // every task accepted before the end still runs, and finds the socket closed
        Runnable task;
        while ((task = this.tasks.poll()) != null) {
            runTask(task);
        }
        if (this.selector != null) {
            try {
                this.selector.close();
            }
            catch (IOException ex) {
                // nothing to do
            }
        }
        closeQuietly(this.wakeup);
    }

    private void writeWakeup() {
        Pipe pipe = this.wakeup;
        boolean interrupted = Thread.interrupted(); // an interrupt during the write would close the pipe
        try {
            pipe.sink().write(ByteBuffer.allocate(1));
        }
        catch (ClosedChannelException ex) {
            // closed by an interrupt of another caller: the loop sees the end of file and opens a new pipe
        }
        catch (IOException ex) {
            logger.warn("Cannot wake owner thread " + this.thread.getName() + "; it wakes within "
                    + MAX_WAIT_MILLIS + " ms", ex);
        }
        finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Empties the wake-up pipe; reopens it when an interrupted writer closed it. */
    private void drainWakeup() {
        Pipe pipe = this.wakeup;
        try {
            while (true) {
                this.drainBuffer.clear();
                int read = pipe.source().read(this.drainBuffer);
                if (read == 0) {
                    return;
                }
                if (read < 0) {
                    break;
                }
            }
        }
        catch (IOException ex) {
            // closed: reopen below
        }
        try {
            Pipe fresh = openWakeup();
            this.wakeupKey.cancel();
            this.selector.selectNow(); // completes the cancellation before the new channel registers
            this.wakeupKey = fresh.source().register(this.selector, SelectionKey.OP_READ);
            this.wakeup = fresh;
            closeQuietly(pipe);
        }
        catch (IOException ex) {
            logger.warn("Cannot reopen the wake-up pipe of " + this.thread.getName()
                    + "; handed-over calls now wait up to " + MAX_WAIT_MILLIS + " ms", ex);
        }
    }

    private static Pipe openWakeup() throws IOException {
        Pipe pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        pipe.sink().configureBlocking(false);
        return pipe;
    }

    private static void closeQuietly(Pipe pipe) {
        try {
            pipe.source().close();
        }
        catch (IOException ex) {
            // nothing to do
        }
        try {
            pipe.sink().close();
        }
        catch (IOException ex) {
            // nothing to do
        }
    }

    @Override
    public String toString() {
        return "SocketOwnerThread " + this.thread.getName();
    }
}
