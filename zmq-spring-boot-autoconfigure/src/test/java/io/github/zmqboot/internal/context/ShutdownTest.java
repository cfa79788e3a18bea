package io.github.zmqboot.internal.context;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.zmqboot.annotation.ZmqListener;
import io.github.zmqboot.autoconfigure.ZmqAutoConfiguration;
import io.github.zmqboot.core.ZmqError;
import io.github.zmqboot.core.ZmqException;
import io.github.zmqboot.core.ZmqPeer;
import io.github.zmqboot.core.ZmqSocket;
import io.github.zmqboot.core.SocketEvent;
import io.github.zmqboot.internal.engine.SocketOptions;
import io.github.zmqboot.internal.engine.ZmqSocketFactory;
import io.github.zmqboot.internal.socket.ZmqSockets;
import io.github.zmqboot.testing.ReservedPort;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Shutdown of the ZeroMQ context: closing the application context never hangs and completes within the longest
 * linger plus one second, whatever threads are blocked in the sockets (receivers, senders on full queues, messages
 * queued to endpoints nobody listens on); blocked calls end with {@code ETERM} without being interrupted, and every
 * later call reports {@code ETERM}. A user's {@code close()} of one peer reports {@code ENOTSOCK} instead.
 */
class ShutdownTest {

    /** Upper bound of every wait for a state the test itself sets up (never a product promise). */
    private static final Duration SETUP_WAIT = Duration.ofSeconds(20);

    /** How soon a blocked call must return once its socket or context is being closed. */
    private static final Duration PROMPTLY = Duration.ofSeconds(1);

    private static final int HWM = 10;

    private static final int SENDERS = 4;

    private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

    /** A tcp port nobody listens on, held for the whole test (no other process can start listening there). */
    private final ReservedPort nobodyListens = ReservedPort.reserve();

    @AfterEach
    void closeContexts() {
        this.contexts.forEach(ConfigurableApplicationContext::close);
        this.nobodyListens.close();
    }

    @Test
    void contextCloseEndsABlockedReceiveWithEtermWithinLingerPlusOneSecond() {
        ConfigurableApplicationContext context = start("zmq.context.linger=500ms",
                "zmq.peers.alice.bind[0]=tcp://127.0.0.1:0");
        ZmqPeer alice = context.getBean("alice", ZmqPeer.class);
        Worker receiver = Worker.start("blocked-receiver", () -> alice.receive(Duration.ofMinutes(5)));
        awaitBlocked(receiver);

        long closeStart = System.nanoTime();
        Duration took = timeClose(context);

        assertThat(took).isLessThan(Duration.ofMillis(1500));
        assertEndedPromptly(receiver, closeStart, ZmqError.ETERM);
        report("receive blocked, context close", took);
    }

    @ParameterizedTest
    @ValueSource(strings = { "tcp://127.0.0.1:0", "inproc://shutdown-sends" })
    void contextCloseEndsSendersBlockedOnAFullQueueWithEtermWithinLingerPlusOneSecond(String bindEndpoint) {
        ConfigurableApplicationContext context = start("zmq.context.linger=500ms",
                "zmq.peers.sink.bind[0]=" + bindEndpoint, "zmq.peers.sink.send-hwm=" + HWM,
                "zmq.peers.sink.receive-hwm=" + HWM, "zmq.peers.source.send-hwm=" + HWM,
                "zmq.peers.source.receive-hwm=" + HWM);
        ZmqPeer sink = context.getBean("sink", ZmqPeer.class);
        ZmqPeer source = context.getBean("source", ZmqPeer.class);
        int sinkId = source.connect(sink.boundEndpoints().get(0));
        AtomicLong sent = new AtomicLong();
        List<Worker> senders = startSenders(source, sinkId, sent, SENDERS);
        awaitSendersBlocked(senders, sent);

        long closeStart = System.nanoTime();
        Duration took = timeClose(context);

        assertThat(took).isLessThan(Duration.ofMillis(1500));
        for (Worker sender : senders) {
            assertEndedPromptly(sender, closeStart, ZmqError.ETERM);
        }
        report("senders blocked (" + bindEndpoint + ", " + sent.get() + " sent), context close", took);
    }

    @Test
    void queuedToANonListeningEndpointContextCloseEndsBlockedCallsWithinLingerPlusOneSecond() {
        ConfigurableApplicationContext context = start("zmq.context.linger=1s",
                "zmq.peers.lonely.send-hwm=" + HWM);
        ZmqPeer lonely = context.getBean("lonely", ZmqPeer.class);
        int routingId = lonely.connect(this.nobodyListens.endpoint());
        for (int i = 0; i < HWM / 2; i++) {
            lonely.send(routingId, "queued " + i);
        }
        AtomicLong sent = new AtomicLong(HWM / 2);
        List<Worker> senders = startSenders(lonely, routingId, sent, 1);
        awaitSendersBlocked(senders, sent);
        Worker receiver = Worker.start("lonely-receiver", () -> lonely.receive(Duration.ofMinutes(5)));
        awaitBlocked(receiver);

        long closeStart = System.nanoTime();
        Duration took = timeClose(context);

        assertThat(took).isLessThan(Duration.ofSeconds(2));
        assertEndedPromptly(senders.get(0), closeStart, ZmqError.ETERM);
        assertEndedPromptly(receiver, closeStart, ZmqError.ETERM);
        report("messages queued to nobody (linger 1s), context close", took);
    }

    @Test
    void contextCloseIsBoundedByTheLongestLingerPlusOneSecond() {
        // A socket's own linger (2 s) beats zmq.context.linger; the messages can never be delivered.
        ConfigurableApplicationContext context = start("zmq.context.linger=200ms",
                "zmq.peers.lonely.linger=2s", "zmq.peers.lonely.send-hwm=" + HWM,
                "zmq.peers.other.bind[0]=tcp://127.0.0.1:0");
        ZmqPeer lonely = context.getBean("lonely", ZmqPeer.class);
        int routingId = lonely.connect(this.nobodyListens.endpoint());
        for (int i = 0; i < HWM; i++) {
            lonely.send(routingId, "undeliverable " + i);
        }

        Duration took = timeClose(context);

        assertThat(took).isLessThan(Duration.ofSeconds(3));
        assertCallsFail(lonely, ZmqError.ETERM);
        report("messages queued to nobody (linger 2s), context close", took);
    }

    @Test
    void infiniteLingerWithNothingPendingDoesNotHoldUpContextClose() {
        ConfigurableApplicationContext context = start("zmq.context.linger=500ms",
                "zmq.peers.eternal.linger=-1", "zmq.peers.eternal.bind[0]=tcp://127.0.0.1:0",
                "zmq.peers.visitor.linger=-1");
        ZmqPeer eternal = context.getBean("eternal", ZmqPeer.class);
        ZmqPeer visitor = context.getBean("visitor", ZmqPeer.class);
        int eternalId = visitor.connect(eternal.boundEndpoints().get(0));
        visitor.send(eternalId, "hello");
        ZmqPeer.Received hello = eternal.receive(SETUP_WAIT);
        assertThat(hello).isNotNull();
        eternal.send(hello.routingId(), "welcome");
        assertThat(visitor.receive(SETUP_WAIT)).isNotNull();

        Duration took = timeClose(context);

        assertThat(took).isLessThan(Duration.ofMillis(1500));
        report("infinite linger, nothing pending, context close", took);
    }

    /**
     * libzmq's linger is an upper bound: a socket with nothing of the application's left to send closes at once.
     * Connected peers with every message delivered, and a SUB whose publisher went away (the engine queues its
     * subscriptions again for the reconnect, which can never deliver them), linger 2 s: the application closes well
     * within the linger.
     */
    @Test
    void closeWithNothingLeftToSendDoesNotWaitForTheLinger() {
        ConfigurableApplicationContext publisher = start("zmq.context.linger=0", "zmq.sockets.ticks.type=PUB",
                "zmq.sockets.ticks.bind[0]=tcp://127.0.0.1:0");
        ConfigurableApplicationContext context = start(TapListener.class, "zmq.context.linger=2s",
                "zmq.peers.alice.bind[0]=tcp://127.0.0.1:0", "zmq.peers.bob.send-hwm=1000",
                "zmq.sockets.tape.type=SUB", "zmq.sockets.tape.subscribe[0]=", "zmq.sockets.tape.reconnect-interval=50ms");
        ZmqPeer alice = context.getBean("alice", ZmqPeer.class);
        ZmqPeer bob = context.getBean("bob", ZmqPeer.class);
        bob.send(bob.connect(alice.boundEndpoints().get(0)), "hello");
        assertThat(alice.receive(SETUP_WAIT)).as("alice got bob's message").isNotNull();

        ZmqSocket ticks = publisher.getBean("ticks", ZmqSocket.class);
        ZmqSocket tape = context.getBean("tape", ZmqSocket.class); // read by TapListener
        List<SocketEvent.Kind> tapeEvents = new CopyOnWriteArrayList<>();
        context.getBean(ZmqSocketFactory.class).socketMonitor().addListener(event -> {
            if (event.socket().equals("tape")) {
                tapeEvents.add(event.kind());
            }
        });
        tape.connect(ticks.boundEndpoints().get(0));
        TapListener listener = context.getBean(TapListener.class);
        await().atMost(SETUP_WAIT).pollInterval(Duration.ofMillis(20)).until(() -> {
            ticks.send("tick");
            return listener.received.get() > 0;
        });
        publisher.close();
        await("the SUB noticed its publisher is gone").atMost(SETUP_WAIT)
            .until(() -> tapeEvents.contains(SocketEvent.Kind.DISCONNECTED));

        Duration took = timeClose(context);

        assertThat(took).isLessThan(Duration.ofMillis(1000));
        report("nothing left to send (linger 2s), context close", took);
    }

    @Test
    void everyPeerMethodReportsEtermAfterTheContextClosed() {
        ConfigurableApplicationContext context = start("zmq.context.linger=0",
                "zmq.peers.alice.bind[0]=tcp://127.0.0.1:0", "zmq.peers.bob.linger=0");
        ZmqPeer alice = context.getBean("alice", ZmqPeer.class);
        ZmqPeer bob = context.getBean("bob", ZmqPeer.class);
        int aliceId = bob.connect(alice.boundEndpoints().get(0));
        bob.send(aliceId, "hello");
        assertThat(alice.receive(SETUP_WAIT)).isNotNull();

        context.close();

        assertCallsFail(alice, ZmqError.ETERM);
        assertCallsFail(bob, ZmqError.ETERM);
        assertThatExceptionOfType(ZmqException.class).isThrownBy(() -> bob.disconnect(aliceId))
            .satisfies(ex -> assertThat(ex.error()).isEqualTo(ZmqError.ETERM));
    }

    @Test
    void userCloseEndsABlockedReceiveWithEnotsockAndTheContextStillClosesPromptly() {
        ConfigurableApplicationContext context = start("zmq.context.linger=500ms",
                "zmq.peers.alice.bind[0]=tcp://127.0.0.1:0", "zmq.peers.bob.bind[0]=inproc://bob");
        ZmqPeer alice = context.getBean("alice", ZmqPeer.class);
        ZmqPeer bob = context.getBean("bob", ZmqPeer.class);
        Worker aliceReceiver = Worker.start("alice-receiver", () -> alice.receive(Duration.ofMinutes(5)));
        Worker bobReceiver = Worker.start("bob-receiver", () -> bob.receive(Duration.ofMinutes(5)));
        awaitBlocked(aliceReceiver);
        awaitBlocked(bobReceiver);

        long userCloseStart = System.nanoTime();
        alice.close();

        assertEndedPromptly(aliceReceiver, userCloseStart, ZmqError.ENOTSOCK);
        assertThatCode(alice::close).doesNotThrowAnyException();
        assertCallsFail(alice, ZmqError.ENOTSOCK);
        assertThat(bobReceiver.isDone()).isFalse();

        long closeStart = System.nanoTime();
        Duration took = timeClose(context);

        assertThat(took).isLessThan(Duration.ofMillis(1500));
        assertEndedPromptly(bobReceiver, closeStart, ZmqError.ETERM);
        assertThatCode(alice::close).doesNotThrowAnyException();
        report("after a user close, context close", took);
    }

    @Test
    void contextManagerCloseIsIdempotentAndTheFactoryThenRefusesSocketsWithEterm() {
        ConfigurableApplicationContext context = start("zmq.context.linger=500ms",
                "zmq.peers.alice.bind[0]=tcp://127.0.0.1:0");
        ZmqContextManager manager = context.getBean(ZmqContextManager.class);
        ZmqSockets sockets = context.getBean(ZmqSockets.class);
        ZmqPeer alice = context.getBean("alice", ZmqPeer.class);
        assertThat(manager.isTerminated()).isFalse();

        Duration first = time(manager::close);
        Duration second = time(manager::close);

        assertThat(first).isLessThan(Duration.ofMillis(1500));
        assertThat(second).isLessThan(Duration.ofMillis(1500));
        assertThat(manager.isTerminated()).isTrue();
        assertThatExceptionOfType(ZmqException.class)
            .isThrownBy(() -> sockets.createPeer("late", SocketOptions.NONE))
            .satisfies(ex -> assertThat(ex.error()).isEqualTo(ZmqError.ETERM));
        assertCallsFail(alice, ZmqError.ETERM);

        Duration contextClose = timeClose(context);
        assertThat(contextClose).isLessThan(Duration.ofMillis(1500));
        report("manager close (first, second), then context close", first, second, contextClose);
    }

    private ConfigurableApplicationContext start(String... properties) {
        return start(Config.class, properties);
    }

    private ConfigurableApplicationContext start(Class<?> application, String... properties) {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(Config.class, application)
            .web(WebApplicationType.NONE)
            .bannerMode(Banner.Mode.OFF)
            .logStartupInfo(false)
            .registerShutdownHook(false)
            .properties(properties)
            .run();
        this.contexts.add(context);
        return context;
    }

    private static Duration timeClose(ConfigurableApplicationContext context) {
        return time(context::close);
    }

    private static Duration time(Runnable action) {
        long start = System.nanoTime();
        action.run();
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** Senders that each send fresh 32 KB buffers to {@code routingId} until a send fails. */
    private static List<Worker> startSenders(ZmqPeer peer, int routingId, AtomicLong sent, int count) {
        List<Worker> senders = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            senders.add(Worker.start("sender-" + i, () -> {
                while (true) {
                    peer.send(routingId, new byte[32 * 1024]);
                    sent.incrementAndGet();
                }
            }));
        }
        return senders;
    }

    /** Waits until the queue is full: the count is past the HWM and stable, and every sender waits in the engine. */
    private static void awaitSendersBlocked(List<Worker> senders, AtomicLong sent) {
        AtomicLong previous = new AtomicLong(-1);
        await("senders blocked on a full queue").atMost(SETUP_WAIT).pollInterval(Duration.ofMillis(200))
            .until(() -> {
                long now = sent.get();
                boolean stable = now == previous.getAndSet(now);
                return stable && now >= HWM && senders.stream().allMatch(Worker::isBlocked);
            });
        assertThat(senders).noneMatch(Worker::isDone);
    }

    private static void awaitBlocked(Worker worker) {
        await(worker.name() + " blocked").atMost(SETUP_WAIT).until(worker::isBlocked);
        assertThat(worker.isDone()).isFalse();
    }

    /**
     * Asserts that the worker's call threw {@code ZmqException(error)} within {@link #PROMPTLY} of
     * {@code closeStart}, and that its thread was not interrupted.
     */
    private static void assertEndedPromptly(Worker worker, long closeStart, ZmqError error) {
        assertThat(worker.awaitDone(SETUP_WAIT)).as(worker.name() + " ended").isTrue();
        assertThat(worker.failure()).as(worker.name() + " failure")
            .isInstanceOfSatisfying(ZmqException.class, ex -> assertThat(ex.error()).isEqualTo(error));
        assertThat(worker.interruptedAtEnd()).as(worker.name() + " interrupted").isFalse();
        assertThat(Duration.ofNanos(worker.endNanos() - closeStart)).as(worker.name() + " returned promptly")
            .isLessThan(PROMPTLY);
    }

    private static void assertCallsFail(ZmqPeer peer, ZmqError error) {
        assertFails(() -> peer.connect("tcp://127.0.0.1:5555"), error);
        assertFails(() -> peer.bind("tcp://127.0.0.1:0"), error);
        assertFails(() -> peer.send(1, "x".getBytes(StandardCharsets.UTF_8)), error);
        assertFails(() -> peer.send(1, "x"), error);
        assertFails(() -> peer.convertAndSend(1, List.of("x")), error);
        assertFails(() -> peer.receive(Duration.ofMillis(10)), error);
        assertFails(() -> peer.disconnect(1), error);
    }

    private static void assertFails(ThrowingCallable call, ZmqError error) {
        assertThatExceptionOfType(ZmqException.class).isThrownBy(call)
            .satisfies(ex -> assertThat(ex.error()).isEqualTo(error));
    }

    private static void report(String what, Duration... durations) {
        List<String> millis = new ArrayList<>();
        for (Duration duration : durations) {
            millis.add(duration.toMillis() + " ms");
        }
        System.out.println("[ShutdownTest] " + what + ": " + String.join(", ", millis));
    }

    /** A call on its own daemon thread (never interrupted) whose outcome and end time are recorded. */
    private static final class Worker {

        private final Thread thread;

        private final CountDownLatch done = new CountDownLatch(1);

        private volatile Throwable failure;

        private volatile boolean interruptedAtEnd;

        private volatile long endNanos;

        private Worker(String name, Callable<?> call) {
            this.thread = new Thread(() -> {
                try {
                    call.call();
                }
                catch (Throwable ex) {
                    this.failure = ex;
                }
                finally {
                    this.endNanos = System.nanoTime();
                    this.interruptedAtEnd = Thread.currentThread().isInterrupted();
                    this.done.countDown();
                }
            }, name);
            this.thread.setDaemon(true);
        }

        static Worker start(String name, Callable<?> call) {
            Worker worker = new Worker(name, call);
            worker.thread.start();
            return worker;
        }

        String name() {
            return this.thread.getName();
        }

        /**
         * Blocked = waiting for the socket: in the product's signal wait (outside the engine's lock) or, for calls that
         * do block inside the engine, parked or selecting there (JeroMQ 0.6.0 waits for commands in a selector, thread
         * state {@code RUNNABLE} in a {@code sun.nio.ch} select or poll; a thread-safe socket's second caller parks on
         * the engine's socket lock, {@code WAITING}).
         */
        boolean isBlocked() {
            Thread.State state = this.thread.getState();
            StackTraceElement[] stack = this.thread.getStackTrace();
            boolean selecting = Arrays.stream(stack).anyMatch(frame -> frame.getClassName().startsWith("sun.nio.ch.")
                    && (frame.getMethodName().startsWith("select") || frame.getMethodName().equals("poll")));
            boolean inSignalWait = Arrays.stream(stack)
                .anyMatch(frame -> frame.getClassName().equals("io.github.zmqboot.internal.engine.SignalWaiter"));
            boolean inEngine = Arrays.stream(stack).anyMatch(frame -> frame.getClassName().startsWith("zmq."));
            boolean parked = state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
            return state != Thread.State.TERMINATED && (inSignalWait || (inEngine && (parked || selecting)));
        }

        boolean isDone() {
            return this.done.getCount() == 0;
        }

        boolean awaitDone(Duration timeout) {
            try {
                return this.done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        Throwable failure() {
            return this.failure;
        }

        boolean interruptedAtEnd() {
            return this.interruptedAtEnd;
        }

        long endNanos() {
            return this.endNanos;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ZmqAutoConfiguration.class)
    static class Config {
    }

    /** Reads the SUB socket {@code tape}, as an application's subscriber does. */
    static class TapListener {

        final AtomicLong received = new AtomicLong();

        @ZmqListener(socket = "tape")
        void onTick(String tick) {
            this.received.incrementAndGet();
        }
    }
}
