package io.github.zmqboot.internal.context;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.ReadableByteChannel;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;
import zmq.Command;
import zmq.IMailbox;
import zmq.SocketBase;
import zmq.ZObject;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The engine's close race, made deterministic. JeroMQ 0.6.0's mailbox makes a command readable before it signals it;
 * when the reaper takes a socket's last command in that gap, destroys the socket and closes its mailbox, the sender's
 * signal fails ({@code ClosedChannelException} on an I/O thread, printed by its poller: seen about once in a few
 * hundred application shutdowns). Here the sender is held in the gap by a full signal pipe (its write then retries
 * until there is room) while the socket closes; the sender must finish without error once there is room again.
 */
class GuardedMailboxTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final ZmqContextManager contextManager = new ZmqContextManager(1, 16);

    @AfterEach
    void terminate() {
        this.contextManager.close();
    }

    @Test
    void aCommandSentWhileTheSocketIsDestroyedEndsWithoutError() throws Exception {
        ZMQ.Socket socket = this.contextManager.createSocket(SocketType.PAIR, EngineSocket::new).socket;
        SocketBase base = socket.base();
        IMailbox mailbox = (IMailbox) read(SocketBase.class, "mailbox", base);
        Object signaler = read(zmq.Mailbox.class, "signaler", mailbox);
        Pipe.SinkChannel signals = (Pipe.SinkChannel) read(signaler.getClass(), "w", signaler);
        fill(signals);

        // a command the socket ignores (what the engine sends a socket to wake its reaper)
        Constructor<Command> command = Command.class.getDeclaredConstructor(ZObject.class, Command.Type.class);
        command.setAccessible(true);
        Command ignored = command.newInstance(base, Command.Type.REAP_ACK);
        CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> mailbox.send(ignored), runnable -> {
            Thread thread = new Thread(runnable, "late-sender");
            thread.setDaemon(true);
            thread.start();
        });
        Collection<?> queued = (Collection<?>) read(zmq.Mailbox.class, "cpipe", mailbox);
        await().atMost(PATIENCE).until(() -> !queued.isEmpty()); // readable, its signal not written: the gap

        socket.close(); // the reaper destroys the socket (no pipes, no children) and closes its mailbox
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(1)).until(() -> sender.isDone()
                || (mailbox instanceof GuardedMailbox guarded && guarded.isClosed()));
        drain(((zmq.Mailbox) mailbox).getFd(), sender);

        assertThat(sender).succeedsWithin(PATIENCE);
    }

    /** Writes wake-up bytes until the signal pipe is full. */
    private static void fill(Pipe.SinkChannel signals) throws Exception {
        ByteBuffer bytes = ByteBuffer.allocate(4096);
        while (true) {
            bytes.clear();
            if (signals.write(bytes) == 0) {
                return;
            }
        }
    }

    /** Makes room in the signal pipe until the sender is done (the channel may close meanwhile). */
    private static void drain(Object channel, CompletableFuture<Void> sender) throws Exception {
        ByteBuffer bytes = ByteBuffer.allocate(4096);
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!sender.isDone() && System.nanoTime() < deadline) {
            bytes.clear();
            try {
                ((ReadableByteChannel) channel).read(bytes);
            }
            catch (java.nio.channels.ClosedChannelException ex) {
                break;
            }
            try {
                sender.get(1, TimeUnit.MILLISECONDS);
            }
            catch (TimeoutException | ExecutionException ex) {
                // not done yet, or done with the failure the assertion reports
            }
        }
    }

    private static Object read(Class<?> owner, String name, Object target) throws Exception {
        Field field = owner.getDeclaredField(name);
        field.setAccessible(true);
        return field.get(target);
    }

    private record EngineSocket(ZMQ.Socket socket) implements ZmqContextManager.ContextResource {

        @Override
        public long lingerMillis() {
            return 0;
        }

        @Override
        public void closeForTermination() {
            // closed by the test
        }
    }
}
