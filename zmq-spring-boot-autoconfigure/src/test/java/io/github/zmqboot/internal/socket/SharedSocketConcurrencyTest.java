package io.github.zmqboot.internal.socket;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.zmqboot.core.ZmqError;
import io.github.zmqboot.core.ZmqException;
import io.github.zmqboot.core.ZmqSocket;
import io.github.zmqboot.internal.engine.InboundSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.zeromq.SocketType;
import org.zeromq.ZMsg;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A socket the engine does not make thread-safe, used by many threads at once: every call runs on its caller's thread
 * under the socket's lock, nothing is lost or duplicated, each sender's order is kept, and a reader's handler can
 * use the socket from the reading thread.
 */
class SharedSocketConcurrencyTest {

    private static final int THREADS = 16;

    private static final int MESSAGES_PER_THREAD = 500;

    private static final String PROBE = "probe";

    private final TestSockets sockets = new TestSockets();

    private ConfigurableApplicationContext context;

    @AfterEach
    void close() {
        if (this.context != null) {
            this.context.close();
        }
        this.sockets.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({ "PUSH, PULL, 50", "DEALER, ROUTER, 50", "PUB, SUB, 0" })
    void sixteenThreadsSendingOnOneBeanDeliverEveryMessageExactlyOnceInEachSendersOrder(SocketType type,
            SocketType receiverType, int sendHwm) throws Exception {
        this.context = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
            .bannerMode(Banner.Mode.OFF)
            .registerShutdownHook(false)
            .properties("zmq.sockets.out.type=" + type, "zmq.sockets.out.bind[0]=tcp://127.0.0.1:0",
                    "zmq.sockets.out.send-hwm=" + sendHwm, "zmq.context.linger=0")
            .run();
        ZmqSocket out = this.context.getBean("out", ZmqSocket.class);
        ZmqSocket in = this.sockets.create("in", receiverType);
        if (receiverType == SocketType.SUB) {
            in.subscribe("");
        }
        in.connect(out.boundEndpoints().get(0));
        awaitConnection(out, in);
        // a DEALER's messages are two frames: frames of one message never interleave with another thread's
        boolean twoFrames = type == SocketType.DEALER;

        ExecutorService senders = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> sent = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int sender = t;
            sent.add(senders.submit(() -> {
                start.await();
                for (int i = 0; i < MESSAGES_PER_THREAD; i++) {
                    if (twoFrames) {
                        ZMsg message = new ZMsg();
                        message.add(sender + ":" + i);
                        message.add("tail-" + sender + ":" + i);
                        out.send(message);
                    }
                    else {
                        out.send(sender + ":" + i);
                    }
                }
                return null;
            }));
        }
        start.countDown();

        List<String> received = new ArrayList<>();
        long giveUp = System.nanoTime() + TestSockets.PATIENCE.toNanos();
        while (received.size() < THREADS * MESSAGES_PER_THREAD && System.nanoTime() < giveUp) {
            ZMsg message = in.receive(Duration.ofSeconds(1));
            if (message == null) {
                continue;
            }
            if (receiverType == SocketType.ROUTER) {
                message.pop(); // the DEALER's identity
            }
            String text = message.popString();
            if (text.equals(PROBE)) {
                continue;
            }
            if (twoFrames) {
                assertThat(message.size()).as("the rest of message %s", text).isEqualTo(1);
                assertThat(message.popString()).isEqualTo("tail-" + text);
            }
            assertThat(message.size()).as("frames after %s", text).isZero();
            received.add(text);
        }
        for (Future<?> future : sent) {
            future.get(10, TimeUnit.SECONDS); // no sender failed
        }
        senders.shutdown();
        ZMsg extra = in.receive(Duration.ofMillis(200));
        while (extra != null && PROBE.equals(extra.peekLast().getString(StandardCharsets.UTF_8))) {
            extra = in.receive(Duration.ofMillis(200)); // a late probe
        }
        assertThat(extra).as("nothing beyond the messages sent").isNull();

        assertThat(received).hasSize(THREADS * MESSAGES_PER_THREAD);
        assertThat(new HashSet<>(received)).as("no duplicates").hasSize(THREADS * MESSAGES_PER_THREAD);
        Map<Integer, Integer> lastPerSender = new HashMap<>();
        for (String text : received) {
            String[] parts = text.split(":");
            int sender = Integer.parseInt(parts[0]);
            int sequence = Integer.parseInt(parts[1]);
            assertThat(sequence).as("order of sender %d", sender).isEqualTo(lastPerSender.getOrDefault(sender, -1) + 1);
            lastPerSender.put(sender, sequence);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = SocketType.class, names = { "PUSH", "DEALER" })
    void sixteenThreadsBlockedAtTheHighWaterMarkEachGetEagainAtTheSendTimeoutAndOtherCallsGoOn(SocketType type)
            throws Exception {
        ZmqSocket out = this.sockets.create("out", type, options -> {
            options.setSendTimeout(Duration.ofMillis(800));
            options.setSendHwm(1);
        });
        out.bind("tcp://127.0.0.1:0"); // no peer: nothing can be queued
        ExecutorService senders = Executors.newFixedThreadPool(THREADS);
        List<Future<Throwable>> outcomes = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < THREADS; t++) {
            outcomes.add(senders.submit(() -> failure(() -> out.send("blocked"))));
        }
        // meanwhile the socket serves other calls at once: none waits for the blocked sends
        await().atMost(TestSockets.PATIENCE).until(() -> waitingSenders() >= THREADS);
        long bindStart = System.nanoTime();
        out.bind("tcp://127.0.0.1:0");
        assertThat(Duration.ofNanos(System.nanoTime() - bindStart)).isLessThan(Duration.ofMillis(500));
        for (Future<Throwable> outcome : outcomes) {
            Throwable failure = outcome.get(10, TimeUnit.SECONDS);
            assertThat(failure).isInstanceOf(ZmqException.class);
            assertThat(((ZmqException) failure).error()).isEqualTo(ZmqError.EAGAIN);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).isBetween(Duration.ofMillis(700), Duration.ofSeconds(5));
        senders.shutdown();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = SocketType.class, names = { "PUSH", "DEALER" })
    void closeWhileSixteenSendersAreBlockedEndsEveryOneWithEnotsockAtOnce(SocketType type) throws Exception {
        ZmqSocket out = this.sockets.create("out", type); // send-timeout -1: would wait for ever
        out.bind("tcp://127.0.0.1:0");
        ExecutorService senders = Executors.newFixedThreadPool(THREADS);
        List<Future<Throwable>> outcomes = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            outcomes.add(senders.submit(() -> failure(() -> out.send("blocked"))));
        }
        await().atMost(TestSockets.PATIENCE).until(() -> waitingSenders() >= THREADS);

        long start = System.nanoTime();
        out.close();
        for (Future<Throwable> outcome : outcomes) {
            Throwable failure = outcome.get(5, TimeUnit.SECONDS);
            assertThat(failure).isInstanceOf(ZmqException.class);
            assertThat(((ZmqException) failure).error()).isEqualTo(ZmqError.ENOTSOCK);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        senders.shutdown();
    }

    /** Threads of the senders' pool waiting inside a socket call. */
    private static long waitingSenders() {
        return Thread.getAllStackTraces().keySet().stream()
            .filter(thread -> thread.getName().startsWith("pool-"))
            .filter(TestSockets::waitsInSocketCall)
            .filter(thread -> java.util.Arrays.stream(thread.getStackTrace())
                .anyMatch(frame -> frame.getClassName().equals(LockingZmqSocket.class.getName())))
            .count();
    }

    private static Throwable failure(Runnable action) {
        try {
            action.run();
            return null;
        }
        catch (RuntimeException ex) {
            return ex;
        }
    }

    /**
     * Sends probes until one comes through. A fresh tcp connect can stall in the engine (JeroMQ PR #1022) until the
     * handshake interval, then reconnect; whatever the bound PUSH had queued to the stalled connection is dropped
     * with it (as libzmq drops what is queued to a connection that goes away). Probes that arrive late are skipped.
     */
    private static void awaitConnection(ZmqSocket out, ZmqSocket in) {
        await().atMost(TestSockets.PATIENCE).until(() -> {
            out.send(PROBE);
            ZMsg probe = in.receive(Duration.ofMillis(500));
            return probe != null;
        });
    }

    @Test
    void socketsHaveNoThreadOfTheirOwnAndAReaderRepliesFromItsReadingThread() {
        ZmqSocket router = this.sockets.bound("echo", SocketType.ROUTER);
        assertThat(this.sockets.creatingThreads).containsEntry("echo", Thread.currentThread().getName());
        ZmqSocket dealer = this.sockets.create("client", SocketType.DEALER, options -> options.setRoutingId("c1"));
        assertThat(TestSockets.socketThreadAlive("echo")).isFalse();
        assertThat(TestSockets.socketThreadAlive("client")).isFalse();
        dealer.connect(router.boundEndpoints().get(0));

        List<String> readerThreads = new CopyOnWriteArrayList<>();
        InboundSource source = (InboundSource) router;
        source.claim(this);
        source.startReading(message -> {
            readerThreads.add(Thread.currentThread().getName());
            // on the reading thread, with the socket's lock released: a send from here goes straight to the engine
            ZMsg reply = new ZMsg();
            reply.add(message.frames()[0]);
            reply.add("echo:" + new String(message.frames()[1], StandardCharsets.UTF_8));
            router.send(reply);
        });

        dealer.send("hello");
        ZMsg answer = dealer.receive(TestSockets.PATIENCE);
        assertThat(answer).isNotNull();
        assertThat(answer.popString()).isEqualTo("echo:hello");
        assertThat(readerThreads).containsOnly("zmq-echo-reader");
        source.stopReading();
    }

    @Test
    void manyThreadsReceivingFromOnePullEachGetWholeDistinctMessages() throws Exception {
        ZmqSocket pull = this.sockets.bound("in", SocketType.PULL);
        ZmqSocket push = this.sockets.create("out", SocketType.PUSH);
        push.connect(pull.boundEndpoints().get(0));
        int total = 400;
        ExecutorService receivers = Executors.newFixedThreadPool(8);
        Set<String> received = ConcurrentHashMap.newKeySet();
        long giveUp = System.nanoTime() + TestSockets.PATIENCE.toNanos();
        List<Future<Integer>> counts = new ArrayList<>();
        for (int r = 0; r < 8; r++) {
            counts.add(receivers.submit(() -> {
                int count = 0;
                while (received.size() < total && System.nanoTime() < giveUp) {
                    ZMsg message = pull.receive(Duration.ofMillis(200));
                    if (message == null) {
                        continue;
                    }
                    assertThat(message.size()).isEqualTo(2);
                    String head = message.popString();
                    String body = message.popString();
                    assertThat(body).isEqualTo("body-" + head);
                    assertThat(received.add(head)).as("delivered once: %s", head).isTrue();
                    count++;
                }
                return count;
            }));
        }
        for (int i = 0; i < total; i++) {
            ZMsg message = new ZMsg();
            message.add(Integer.toString(i));
            message.add("body-" + i);
            push.send(message);
        }
        int sum = 0;
        for (Future<Integer> count : counts) {
            sum += count.get(60, TimeUnit.SECONDS);
        }
        receivers.shutdown();
        assertThat(sum).isEqualTo(total);
        assertThat(received).hasSize(total);
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

    }
}
