package io.github.zmqboot.internal.socket;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.github.zmqboot.core.ZmqSocket;
import io.github.zmqboot.internal.engine.InboundMessage;
import io.github.zmqboot.internal.engine.InboundSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZMsg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * The reading contract a listener container uses, on every kind of socket: a claimed source delivers every message
 * whole on its reading thread, {@code stopReading} returns only when the
 * reader is out and leaves later messages queued in the socket for the next {@code startReading}, and
 * {@code reply} sends the frames it is given (the envelope included) or addresses a routing id (SERVER).
 */
class InboundSourceTest {

    private final TestSockets sockets = new TestSockets();

    @AfterEach
    void close() {
        this.sockets.close();
    }

    @Test
    void pullDeliversEveryMessageOnItsReadingThreadAndKeepsTheRestQueuedWhileStopped() {
        ZmqSocket pull = this.sockets.bound("in", SocketType.PULL);
        ZmqSocket push = this.sockets.create("out", SocketType.PUSH);
        push.connect(pull.boundEndpoints().get(0));
        InboundSource source = (InboundSource) pull;
        source.claim(this);
        List<String> received = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        source.startReading(message -> {
            threads.add(Thread.currentThread().getName());
            received.add(text(message, 0) + "/" + message.frames().length);
        });

        for (int i = 0; i < 100; i++) {
            push.send("a" + i);
        }
        await().atMost(TestSockets.PATIENCE).until(() -> received.size() == 100);
        source.stopReading();

        for (int i = 0; i < 50; i++) {
            ZMsg twoFrames = new ZMsg();
            twoFrames.add("b" + i);
            twoFrames.add("tail");
            push.send(twoFrames);
        }
        assertThatIllegalStateException().isThrownBy(() -> pull.receive(Duration.ZERO));

        // every message is delivered once: if the stopped reader took any, the new one could never get all 50
        List<String> afterRestart = new CopyOnWriteArrayList<>();
        source.startReading(message -> afterRestart.add(text(message, 0) + "/" + message.frames().length));
        await().atMost(TestSockets.PATIENCE).until(() -> afterRestart.size() == 50);
        assertThat(received).hasSize(100).allMatch(text -> text.startsWith("a") && text.endsWith("/1"));
        assertThat(afterRestart).allMatch(text -> text.startsWith("b") && text.endsWith("/2"));
        assertThat(threads).containsOnly("zmq-in-reader");
        source.stopReading();
    }

    @Test
    void routerReaderRepliesWithTheEnvelopeFromTheReadingThread() {
        ZmqSocket router = this.sockets.bound("server", SocketType.ROUTER);
        InboundSource source = (InboundSource) router;
        source.claim(this);
        source.startReading(message -> {
            byte[][] frames = message.frames(); // [identity, "", payload] from a REQ
            source.reply(0, new byte[][] { frames[0], frames[1],
                    ("re:" + text(message, frames.length - 1)).getBytes(StandardCharsets.UTF_8) });
        });
        ZmqSocket req = this.sockets.create("client", SocketType.REQ);
        req.connect(router.boundEndpoints().get(0));

        assertThat(req.convertSendAndReceive("one", String.class, TestSockets.PATIENCE)).isEqualTo("re:one");
        assertThat(req.convertSendAndReceive("two", String.class, TestSockets.PATIENCE)).isEqualTo("re:two");
        source.stopReading();
    }

    @Test
    void aReaderStoppingItselfIsNotCalledAgain() {
        ZmqSocket pull = this.sockets.bound("in", SocketType.PULL);
        ZmqSocket push = this.sockets.create("out", SocketType.PUSH);
        push.connect(pull.boundEndpoints().get(0));
        InboundSource source = (InboundSource) pull;
        source.claim(this);
        List<String> received = new CopyOnWriteArrayList<>();
        source.startReading(message -> {
            received.add(text(message, 0));
            source.stopReading();
        });
        push.send("first");
        push.send("second");
        await().atMost(TestSockets.PATIENCE).until(() -> received.size() == 1);

        List<String> later = new CopyOnWriteArrayList<>();
        source.startReading(message -> later.add(text(message, 0)));
        await().atMost(TestSockets.PATIENCE).until(() -> later.size() == 1);
        assertThat(received).containsExactly("first");
        assertThat(later).containsExactly("second");
        source.stopReading();
    }

    @Test
    void stopReadingReturnsOnlyWhenTheReaderIsOutOfItsMessage() throws Exception {
        ZmqSocket pull = this.sockets.bound("in", SocketType.PULL);
        ZmqSocket push = this.sockets.create("out", SocketType.PUSH);
        push.connect(pull.boundEndpoints().get(0));
        InboundSource source = (InboundSource) pull;
        source.claim(this);
        CountDownLatch inReader = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        source.startReading(message -> {
            inReader.countDown();
            awaitLatch(release);
        });
        push.send("busy");
        assertThat(inReader.await(TestSockets.PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> stopping = CompletableFuture.runAsync(source::stopReading);
        Thread stopper = await().atMost(TestSockets.PATIENCE).until(() -> waitingIn("awaitEnd"),
                thread -> thread != null);
        assertThat(stopper.getState()).isIn(Thread.State.WAITING, Thread.State.TIMED_WAITING);
        assertThat(stopping).as("stopReading waits while the reader holds a message").isNotDone();

        release.countDown();
        stopping.get(TestSockets.PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void serverReaderRepliesByRoutingId() {
        ZmqSocket server = this.sockets.bound("server", SocketType.SERVER);
        InboundSource source = (InboundSource) server;
        source.claim(this);
        source.startReading(message -> source.reply(message.routingId(),
                new byte[][] { ("re:" + text(message, 0)).getBytes(StandardCharsets.UTF_8) }));
        ZmqSocket client = this.sockets.create("client", SocketType.CLIENT);
        client.connect(server.boundEndpoints().get(0));

        assertThat(client.convertSendAndReceive("hi", String.class, TestSockets.PATIENCE)).isEqualTo("re:hi");
        assertThatIllegalStateException().isThrownBy(() -> server.receive(Duration.ZERO));
        assertThatIllegalStateException().isThrownBy(() -> source.claim("another owner"));
        source.stopReading();
    }

    @Test
    void aSocketMustBeClaimedBeforeReading() {
        ZmqSocket pull = this.sockets.create("in", SocketType.PULL);
        assertThatIllegalStateException().isThrownBy(() -> ((InboundSource) pull).startReading(message -> {
        }));
    }

    /** The thread whose stack is inside the reading loop's {@code <method>}, or null. */
    private static Thread waitingIn(String method) {
        return Thread.getAllStackTraces().entrySet().stream()
            .filter(entry -> java.util.Arrays.stream(entry.getValue())
                .anyMatch(frame -> frame.getClassName().equals("io.github.zmqboot.internal.engine.ConcurrentReadLoop")
                        && frame.getMethodName().equals(method)))
            .filter(entry -> entry.getKey().getState() == Thread.State.WAITING
                    || entry.getKey().getState() == Thread.State.TIMED_WAITING)
            .map(java.util.Map.Entry::getKey)
            .findFirst()
            .orElse(null);
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static String text(InboundMessage message, int frame) {
        return new String(message.frames()[frame], StandardCharsets.UTF_8);
    }
}
