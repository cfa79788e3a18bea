package io.github.zmqboot.internal.socket;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.zmqboot.core.ZmqError;
import io.github.zmqboot.core.ZmqException;
import io.github.zmqboot.core.ZmqSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZMsg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Sends that cannot be queued (a PUSH with no peer takes nothing) wait, without holding the socket's lock, until the
 * socket's send timeout; then the caller gets {@code EAGAIN} and the socket keeps working.
 */
class SendTimeoutTest {

    private final TestSockets sockets = new TestSockets();

    @AfterEach
    void close() {
        this.sockets.close();
    }

    @Test
    void sendTimesOutWithEagainWhileNothingCanBeQueuedAndTheSocketWorksAfterwards() {
        ZmqSocket push = this.sockets.create("out", SocketType.PUSH, options -> {
            options.setSendTimeout(Duration.ofMillis(300));
            options.setSendHwm(1);
        });
        push.bind("tcp://127.0.0.1:0");

        long start = System.nanoTime();
        assertThatExceptionOfType(ZmqException.class).isThrownBy(() -> push.send("nobody listens"))
            .satisfies(ex -> assertThat(ex.error()).isEqualTo(ZmqError.EAGAIN));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).isBetween(Duration.ofMillis(250), Duration.ofSeconds(5));

        // the socket is not held up by a failed send
        assertThat(push.boundEndpoints()).hasSize(1);

        ZmqSocket pull = this.sockets.create("in", SocketType.PULL);
        pull.connect(push.boundEndpoints().get(0));
        // the connection comes up in the background; until then sends keep timing out
        await().atMost(TestSockets.PATIENCE).ignoreException(ZmqException.class).until(() -> {
            push.send("hello");
            return true;
        });
        ZMsg received = pull.receive(TestSockets.PATIENCE);
        assertThat(received).isNotNull();
        assertThat(received.popString()).isEqualTo("hello");
    }

    @Test
    void sendTimeoutZeroFailsAtOnce() {
        ZmqSocket push = this.sockets.create("out", SocketType.PUSH, options -> options.setSendTimeout(Duration.ZERO));
        long start = System.nanoTime();
        assertThatExceptionOfType(ZmqException.class).isThrownBy(() -> push.send("now or never"))
            .satisfies(ex -> assertThat(ex.error()).isEqualTo(ZmqError.EAGAIN));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void sendsWaitingForAPeerAllLeaveWhenOneConnects() throws Exception {
        ZmqSocket push = this.sockets.bound("out", SocketType.PUSH); // send-timeout -1: wait for ever
        List<Thread> senders = new ArrayList<>();
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String payload = "m" + i;
            CompletableFuture<Void> future = new CompletableFuture<>();
            Thread sender = new Thread(() -> {
                try {
                    push.send(payload);
                    future.complete(null);
                }
                catch (RuntimeException ex) {
                    future.completeExceptionally(ex);
                }
            }, "sender-" + i);
            sender.start();
            await().atMost(TestSockets.PATIENCE).until(() -> TestSockets.waitsInSocketCall(sender));
            senders.add(sender);
            done.add(future);
        }
        assertThat(done).noneMatch(CompletableFuture::isDone);

        ZmqSocket pull = this.sockets.create("in", SocketType.PULL);
        pull.connect(push.boundEndpoints().get(0));
        List<String> received = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ZMsg message = pull.receive(TestSockets.PATIENCE);
            assertThat(message).as("message %d", i).isNotNull();
            received.add(message.popString());
        }
        // each sender's messages keep their order; senders racing each other have none between them
        assertThat(received).containsExactlyInAnyOrder("m0", "m1", "m2", "m3", "m4");
        for (CompletableFuture<Void> future : done) {
            future.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aFullQueueHoldsLaterSendsBehindTheWaitingOneUntilItTimesOut() {
        ZmqSocket push = this.sockets.create("out", SocketType.PUSH,
                options -> options.setSendTimeout(Duration.ofMillis(500)));
        CompletableFuture<Throwable> first = CompletableFuture.supplyAsync(() -> failure(() -> push.send("a")));
        CompletableFuture<Throwable> second = CompletableFuture.supplyAsync(() -> failure(() -> push.send("b")));
        assertThat(first.join()).isInstanceOf(ZmqException.class);
        assertThat(((ZmqException) first.join()).error()).isEqualTo(ZmqError.EAGAIN);
        assertThat(((ZmqException) second.join()).error()).isEqualTo(ZmqError.EAGAIN);
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
}
