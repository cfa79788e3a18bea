package io.github.zmqboot.guard;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import io.github.zmqboot.internal.context.ZmqContextManager;
import io.github.zmqboot.guard.RawZmtpClient.HostileSize;
import io.github.zmqboot.internal.engine.ManagedSocket;
import io.github.zmqboot.internal.engine.SocketOptions;
import io.github.zmqboot.internal.engine.ZmqSocketFactory;
import org.awaitility.core.ConditionTimeoutException;
import org.zeromq.SocketType;
import zmq.Ctx;
import zmq.Msg;
import zmq.SocketBase;


import static org.awaitility.Awaitility.await;

/**
 * Runs in a JVM of its own ({@link ChildJvm}): a PULL socket on 127.0.0.1 is sent one hostile frame between two
 * legitimate messages by a raw ZMTP/3 client, then a new client tries to connect. Prints {@code RESULT key=value}
 * lines and ends with {@link Runtime#halt(int)}: an engine whose I/O thread spins or died cannot be closed, and
 * its threads must not outlive the demonstration (in the test JVM they would burn a core for the rest of the run).
 * <p>
 * Modes: {@code unguarded-cve} (a raw JeroMQ socket, no starter, sent the CVE-2019-6250 frame),
 * {@code unguarded-huge} and {@code guarded-huge} (a frame header declaring 2 GiB - 16 bytes on a socket without
 * {@code max-message-size}, in a JVM whose direct memory cannot hold it; guarded = made by the starter's factory with
 * {@code max-message-size} -1, libzmq's default, set for the occasion).
 */
public final class EngineVictim {

    private static final Duration RECEIVE = Duration.ofSeconds(10);

    /** How long a message that should have arrived (had the engine been alive) is waited for. */
    static final Duration NOT_ARRIVING = Duration.ofSeconds(3);

    /** A frame header with the LARGE flag and a size of 0x7FFFFFF0 bytes: valid ZMTP, too large to allocate here. */
    static final byte[] HUGE_FRAME_HEADER = { RawZmtpClient.LARGE, 0, 0, 0, 0, 0x7F, (byte) 0xFF, (byte) 0xFF,
            (byte) 0xF0 };

    private EngineVictim() {
    }

    public static void main(String[] args) throws Exception {
        try {
            String mode = args[0];
            Set<Long> before = IoThreads.snapshot();
            if (mode.startsWith("guarded")) {
                runGuarded(before);
            }
            else {
                runUnguarded(mode, before);
            }
        }
        catch (Throwable ex) {
            ex.printStackTrace(System.out);
            result("FAILED", ex.toString());
        }
        finally {
            System.out.flush();
            Runtime.getRuntime().halt(0);
        }
    }

    private static void runUnguarded(String mode, Set<Long> before) throws IOException {
        // the engine's own API, no starter: a context with one I/O thread whose exceptions are reported here
        Ctx context = zmq.ZMQ.createContext();
        CountDownLatch engineFailed = new CountDownLatch(1);
        Thread.UncaughtExceptionHandler report = (thread, ex) -> {
            result("ENGINE_EXCEPTION", ex.getClass().getName());
            engineFailed.countDown();
        };
        context.setNotificationExceptionHandler(report); // caught by the I/O thread's poller (RuntimeException)
        context.setUncaughtExceptionHandler(report); // ends the I/O thread (Error)
        SocketBase base = context.createSocket(zmq.ZMQ.ZMQ_PULL);
        base.bind("tcp://127.0.0.1:*");
        int port = TestSockets.port((String) base.getSocketOptx(zmq.ZMQ.ZMQ_LAST_ENDPOINT));
        IoThreads ioThreads = IoThreads.startedSince(before);
        byte[] hostile = mode.equals("unguarded-cve") ? HostileSize.ALL_ONES.frameHeader() : HUGE_FRAME_HEADER;
        attack(port, hostile,
                () -> await("the engine's exception").atMost(RECEIVE).until(() -> engineFailed.getCount() == 0),
                timeout -> receive(base, timeout));
        result("IO_THREAD_ALIVE", ioThreads.anyAlive());
        report(ioThreads.loadOverWindow());
        // no close: the context cannot terminate with a stuck or dead I/O thread; halt() ends the JVM
    }

    private static void runGuarded(Set<Long> before) throws IOException {
        ZmqContextManager contextManager = new ZmqContextManager(1, 1024);
        // max-message-size -1, libzmq's default: the starter's own (1 MiB) refuses the header before the guard sees it
        SocketOptions noLimit = new SocketOptions(null, null, null, -1L, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null);
        ZmqSocketFactory factory = new ZmqSocketFactory(contextManager, noLimit, List.of());
        ManagedSocket pull = TestSockets.bound(factory, "pull", SocketType.PULL);
        int port = TestSockets.port(TestSockets.endpoint(pull));
        IoThreads ioThreads = IoThreads.startedSince(before);
        attack(port, HUGE_FRAME_HEADER,
                () -> await("frame dropped by the guard").atMost(RECEIVE).until(() -> pull.rejectedFrames() == 1),
                timeout -> {
            List<byte[]> frames = TestSockets.receive(pull, timeout);
            return frames == null ? null : TestSockets.text(frames.get(0));
        });
        result("REJECTED_FRAMES", pull.rejectedFrames());
        result("IO_THREAD_ALIVE", ioThreads.anyAlive());
        report(ioThreads.loadOverWindow());
        long start = System.nanoTime();
        contextManager.close();
        result("CLOSE_MILLIS", (System.nanoTime() - start) / 1_000_000);
        // termination has returned; the thread itself ends a moment later
        result("IO_THREAD_ENDED_AFTER_CLOSE", awaitEnded(ioThreads));
    }

    /**
     * Sends "before", the hostile frame header, and "after" once the engine has read the header: in a read of its
     * own, that is. JeroMQ 0.6.0 spins on the first read of a connection after the one that carried a negative size;
     * had "after" come in the same read, the connection would only go dead.
     */
    private static void attack(int port, byte[] hostile, Runnable awaitHeaderRead, Receiver receiver)
            throws IOException {
        try (RawZmtpClient attacker = RawZmtpClient.zmtp3(port, "PUSH")) {
            attacker.send("before");
            result("BEFORE", receiver.receive(RECEIVE));
            attacker.sendRaw(hostile);
            awaitHeaderRead.run();
            attacker.send("after");
            result("AFTER", receiver.receive(NOT_ARRIVING));
            try (RawZmtpClient fresh = RawZmtpClient.zmtp3(port, "PUSH", NOT_ARRIVING)) {
                result("NEW_CLIENT_HANDSHAKE", "completed");
                fresh.send("from-a-new-client");
                result("NEW_CLIENT_MESSAGE", receiver.receive(RECEIVE));
            }
            catch (SocketTimeoutException ex) {
                result("NEW_CLIENT_HANDSHAKE", "timed-out");
            }
        }
    }

    private static void report(IoThreads.Load load) {
        result("IO_BUSY", load.busy());
        result("IO_CPU_FRACTION", load.cpuFraction());
        result("IO_ENGINE_FRACTION", load.engineFraction());
    }

    private static boolean awaitEnded(IoThreads ioThreads) {
        try {
            await("I/O thread ended").atMost(Duration.ofSeconds(1)).until(() -> !ioThreads.anyAlive());
            return true;
        }
        catch (ConditionTimeoutException ex) {
            return false;
        }
    }

    private static String receive(SocketBase base, Duration timeout) {
        base.setSocketOpt(zmq.ZMQ.ZMQ_RCVTIMEO, (int) timeout.toMillis());
        Msg msg = base.recv(0);
        return msg == null ? null : TestSockets.text(msg.data());
    }

    private static void result(String key, Object value) {
        System.out.println("RESULT " + key + "=" + value);
        System.out.flush();
    }

    @FunctionalInterface
    private interface Receiver {

        String receive(Duration timeout);
    }
}
