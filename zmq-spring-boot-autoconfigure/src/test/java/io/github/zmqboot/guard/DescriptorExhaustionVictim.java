package io.github.zmqboot.guard;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import io.github.zmqboot.internal.context.ZmqContextManager;
import org.apache.commons.logging.LogFactory;
import io.github.zmqboot.core.SocketEvent;
import io.github.zmqboot.internal.engine.ManagedSocket;
import io.github.zmqboot.internal.engine.SocketOptions;
import io.github.zmqboot.internal.engine.ZmqSocketFactory;
import org.zeromq.SocketType;
import zmq.Ctx;
import zmq.SocketBase;


import static org.awaitility.Awaitility.await;

/**
 * Runs in a JVM of its own with a low limit of open files ({@link DescriptorExhaustionTest}): a PULL socket bound on
 * 127.0.0.1 whose process runs out of file descriptors while the test floods it with connections. Talks with the
 * test over its standard streams: prints {@code PORT <port>}, waits for {@code FLOODED}, measures the accept failures
 * (monitor events per second, the I/O thread's CPU) and prints them as {@code RESULT key=value} lines, then prints
 * {@code SAMPLED}, waits for {@code RELEASED} (the test closed its connections) and reports whether a new client's
 * message gets through. Ends with {@link Runtime#halt(int)}: a spinning engine cannot be closed.
 * <p>
 * Modes: {@code starter} (the socket made and bound by the starter's factory) and {@code jeromq} (JeroMQ's own bind).
 */
public final class DescriptorExhaustionVictim {

    static final Duration FIRST_FAILURE = Duration.ofSeconds(30);

    static final Duration RECOVERY = Duration.ofSeconds(20);

    private DescriptorExhaustionVictim() {
    }

    public static void main(String[] args) throws Exception {
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try {
            boolean starter = "starter".equals(args[0]);
            Set<Long> before = IoThreads.snapshot();
            AtomicLong acceptFailures = new AtomicLong();
            List<String> engineExceptions = new java.util.concurrent.CopyOnWriteArrayList<>();
            Receiver receiver;
            int port;
            if (starter) {
                ZmqContextManager contextManager = new ZmqContextManager(1, 1024);
                ZmqSocketFactory factory = new ZmqSocketFactory(contextManager, SocketOptions.NONE, List.of());
                factory.socketMonitor().addListener(event -> {
                    if (event.kind() == SocketEvent.Kind.ACCEPT_FAILED) {
                        acceptFailures.incrementAndGet();
                    }
                });
                // a long handshake interval: the flood's connections (which send nothing) stay open while measured
                SocketOptions options = new SocketOptions(null, null, null, null, null, null, null,
                        Duration.ofSeconds(60), null, null, null, null, null, null, null, null, null, null);
                ManagedSocket pull = factory.createSocket("pull", SocketType.PULL, options);
                long stamp = pull.enter();
                try {
                    port = TestSockets.port(pull.bind("tcp://127.0.0.1:*"));
                }
                finally {
                    pull.exit(stamp);
                }
                receiver = timeout -> {
                    List<byte[]> frames = TestSockets.receive(pull, timeout);
                    return frames == null ? null : TestSockets.text(frames.get(0));
                };
            }
            else {
                Ctx context = zmq.ZMQ.createContext();
                Thread.UncaughtExceptionHandler report = (thread, ex) -> engineExceptions.add(ex.toString());
                context.setNotificationExceptionHandler(report);
                context.setUncaughtExceptionHandler(report);
                SocketBase pull = context.createSocket(zmq.ZMQ.ZMQ_PULL);
                pull.setSocketOpt(zmq.ZMQ.ZMQ_HANDSHAKE_IVL, 60_000);
                pull.setEventHook(event -> acceptFailures.incrementAndGet(), zmq.ZMQ.ZMQ_EVENT_ACCEPT_FAILED);
                pull.bind("tcp://127.0.0.1:*");
                port = TestSockets.port((String) pull.getSocketOptx(zmq.ZMQ.ZMQ_LAST_ENDPOINT));
                receiver = timeout -> {
                    pull.setSocketOpt(zmq.ZMQ.ZMQ_RCVTIMEO, (int) timeout.toMillis());
                    zmq.Msg msg = pull.recv(0);
                    return msg == null ? null : TestSockets.text(msg.data());
                };
            }
            IoThreads ioThreads = IoThreads.startedSince(before);
            warmUp(ioThreads);
            result("FDS_AT_START", openFiles());
            line("PORT " + port);
            expect(commands, "FLOODED");

            await("a failed accept").atMost(FIRST_FAILURE).until(() -> acceptFailures.get() > 0);
            long eventsBefore = acceptFailures.get();
            long start = System.nanoTime();
            IoThreads.Load load = ioThreads.loadOverWindow();
            long events = acceptFailures.get() - eventsBefore;
            double seconds = (System.nanoTime() - start) / 1e9;
            result("ACCEPT_FAILED_PER_SECOND", Math.round(events / seconds));
            result("IO_BUSY", load.busy());
            result("IO_CPU_FRACTION", load.cpuFraction());
            result("IO_ENGINE_FRACTION", load.engineFraction());
            result("IO_THREAD_ALIVE", ioThreads.anyAlive());
            result("ENGINE_EXCEPTIONS", engineExceptions.stream().distinct().toList());
            line("SAMPLED");

            expect(commands, "RELEASED");
            if (!starter) {
                return; // the engine's own listener is what the test shows, not its recovery
            }
            long released = System.nanoTime();
            String received = receiver.receive(RECOVERY);
            result("RECOVERED_MESSAGE", received);
            result("RECOVERED_MILLIS", (System.nanoTime() - released) / 1_000_000);
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

    /**
     * Loads now what runs while no descriptor is left: classes are read from the build's class directories, one file
     * each, and a class that cannot be loaded then would end the thread that needs it (an application run from a jar
     * has its jar open already). Initialises the logging, the measurements and the event classes.
     */
    private static void warmUp(IoThreads ioThreads) throws ClassNotFoundException {
        LogFactory.getLog(DescriptorExhaustionVictim.class).info("Warming up before the flood");
        for (String name : List.of("io.github.zmqboot.core.ZmqError", "io.github.zmqboot.core.SocketEvent",
                "io.github.zmqboot.core.SocketEvent$Kind", "zmq.ZError", "zmq.ZError$IOException")) {
            Class.forName(name, true, DescriptorExhaustionVictim.class.getClassLoader());
        }
        ioThreads.loadOverWindow().busy();
        await().atMost(Duration.ofSeconds(1)).until(() -> true);
        result("WARM", Math.round(0.5 * 2) + " " + (0.25 > 0.1));
    }

    private static long openFiles() {
        try (Stream<Path> files = Files.list(Path.of("/proc/self/fd"))) {
            return files.count();
        }
        catch (Exception ex) {
            return -1;
        }
    }

    private static void expect(BufferedReader commands, String command) throws Exception {
        String line = commands.readLine();
        if (!command.equals(line)) {
            throw new IllegalStateException("expected " + command + " from the test, got " + line);
        }
    }

    private static void result(String key, Object value) {
        line("RESULT " + key + "=" + value);
    }

    private static void line(String text) {
        System.out.println(text);
        System.out.flush();
    }

    @FunctionalInterface
    private interface Receiver {

        String receive(Duration timeout);
    }
}
