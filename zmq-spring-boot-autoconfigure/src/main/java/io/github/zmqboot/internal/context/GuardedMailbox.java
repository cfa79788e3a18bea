package io.github.zmqboot.internal.context;

import java.io.IOException;
import java.lang.reflect.Field;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import zmq.Command;
import zmq.Ctx;
import zmq.IMailbox;
import zmq.Mailbox;
import zmq.SocketBase;

/**
 * A socket's command mailbox whose {@link #close()} waits for the commands being sent to it: JeroMQ 0.6.0's own
 * {@link Mailbox#send} makes the command readable (a concurrent queue) <em>before</em> it writes the wake-up byte to
 * the mailbox's signal pipe. The reaper thread, already awake for an earlier command of the same socket, can take
 * the socket's last command (typically the term ack of a listener or session on an I/O thread) in that gap, destroy
 * the socket and close the mailbox; the sender's write then fails with {@code ClosedChannelException}, which the I/O
 * thread's poller prints, and the sender skips the rest of its own termination (a session then never terminates its
 * engine). libzmq's mailbox cannot race so: a sender signals only a reader that went to sleep, and a sleeping reader
 * reads no command before it took the signal. JeroMQ's followed it until 0.6.0 (its {@code ConcurrentLinkedDeque}
 * with a signal for every command).
 * <p>
 * Here a send registers itself before it looks at the mailbox, and {@code close} marks the mailbox closed, then waits
 * until the sends already under way have written their signal; a send that comes after the close finds the socket
 * gone and is dropped, as the socket would ignore it. {@link #install} puts one in place of the engine's own mailbox
 * of a socket just created (the socket's field and the context's slot of the socket's thread id).
 */
final class GuardedMailbox extends Mailbox {

    /**
     * How long a close waits for a send under way: a sender is in its critical section for microseconds, unless its
     * thread is descheduled there, or the signal pipe is full (the engine's own send then retries until there is room).
     */
    private static final long SEND_WAIT_NANOS = TimeUnit.SECONDS.toNanos(2);

    private static final Field SOCKET_MAILBOX = field(SocketBase.class, "mailbox");

    private static final Field CONTEXT_SLOTS = field(Ctx.class, "slots");

    /** Sends that may have seen the mailbox open and not yet written their signal. */
    private final AtomicInteger sending = new AtomicInteger();

    private volatile boolean closed;

    private GuardedMailbox(Ctx ctx, String name, int tid) {
        super(ctx, name, tid);
    }

    /**
     * Replaces the mailbox of {@code socket}, which must be new (nothing can have been sent to it yet), by a guarded
     * one, and closes the engine's own.
     *
     * @throws IllegalStateException when the engine is not JeroMQ 0.6.0's
     */
    static void install(SocketBase socket) {
        Ctx ctx = socket.getCtx();
        int tid = socket.getTid();
        GuardedMailbox guarded = new GuardedMailbox(ctx, "socket-" + socket, tid);
        try {
            IMailbox own = (IMailbox) SOCKET_MAILBOX.get(socket);
            SOCKET_MAILBOX.set(socket, guarded);
            // read without a lock by senders, who learn of the socket only through later commands of this thread
            ((IMailbox[]) CONTEXT_SLOTS.get(ctx))[tid] = guarded;
            own.close();
        }
        catch (IllegalAccessException | IOException ex) {
            throw new IllegalStateException("Cannot guard the mailbox of " + socket, ex);
        }
    }

    @Override
    public void send(Command command) {
        this.sending.incrementAndGet();
        try {
            if (!this.closed) {
                super.send(command);
            }
        }
        finally {
            this.sending.decrementAndGet();
        }
    }

    @Override
    public void close() throws IOException {
        this.closed = true;
        long deadline = System.nanoTime() + SEND_WAIT_NANOS;
        while (this.sending.get() != 0 && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(10_000);
        }
        super.close();
    }

    /** Whether {@link #close()} has begun (the socket is destroyed); for tests. */
    boolean isClosed() {
        return this.closed;
    }

    private static Field field(Class<?> owner, String name) {
        try {
            Field field = owner.getDeclaredField(name);
            field.setAccessible(true);
            return field;
        }
        catch (NoSuchFieldException ex) {
            throw new IllegalStateException("This JeroMQ version has no " + owner.getSimpleName() + "." + name
                    + "; zmq-spring-boot supports JeroMQ 0.6.0", ex);
        }
    }
}
