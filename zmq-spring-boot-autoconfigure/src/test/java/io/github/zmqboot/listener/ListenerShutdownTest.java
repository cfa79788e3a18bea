package io.github.zmqboot.listener;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.github.zmqboot.annotation.ZmqListener;
import io.github.zmqboot.autoconfigure.ZmqAutoConfiguration;
import io.github.zmqboot.core.ZmqError;
import io.github.zmqboot.core.ZmqException;
import io.github.zmqboot.core.ZmqPeer;
import io.github.zmqboot.listener.ListenerTestSupport.Client;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static io.github.zmqboot.listener.ListenerTestSupport.TIMEOUT;
import static io.github.zmqboot.listener.ListenerTestSupport.container;
import static io.github.zmqboot.listener.ListenerTestSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Graceful shutdown of a PEER listener under a steady stream: closing the application context while a sender in
 * another context sends continuously, the container finishes every message it took off the socket
 * ({@code handled() + failed() == received()}, and the handler completed exactly that many), and the close completes
 * within the socket's linger plus 2 s.
 */
class ListenerShutdownTest {

    private static final Duration LINGER = Duration.ofMillis(500);

    private static final long WARM_UP_MESSAGES = 2_000;

    @ParameterizedTest(name = "concurrency {0}")
    @ValueSource(ints = { 1, 4 })
    void closingUnderASteadyStreamFinishesEveryMessageTakenOffTheSocket(int concurrency) {
        ApplicationContextRunner client = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ZmqAutoConfiguration.class))
            .withPropertyValues("zmq.peers.bob.linger=0", "zmq.peers.bob.send-timeout=100ms");
        ApplicationContextRunner server = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ZmqAutoConfiguration.class))
            .withPropertyValues("zmq.peers.alice.bind[0]=tcp://127.0.0.1:0",
                    "zmq.peers.alice.linger=" + LINGER.toMillis() + "ms", "test.concurrency=" + concurrency)
            .withBean(Worker.class);
        client.run(clientContext -> server.run(context -> {
            ZmqPeer alice = context.getBean("alice", ZmqPeer.class);
            Client bob = Client.connect(clientContext.getBean("bob", ZmqPeer.class), alice);
            Worker worker = context.getBean(Worker.class);
            ZmqListenerContainer container = container(context, "worker");
            assertThat(container.getConcurrency()).isEqualTo(concurrency);

            Stream stream = new Stream(bob);
            stream.start();
            try {
                await().atMost(TIMEOUT).until(() -> container.handled() >= WARM_UP_MESSAGES);
                assertThat(stream.failure.get()).isNull();

                long start = System.nanoTime();
                context.close();
                Duration closing = Duration.ofNanos(System.nanoTime() - start);

                assertThat(container.isRunning()).isFalse();
                long received = container.received();
                assertThat(received).isGreaterThanOrEqualTo(WARM_UP_MESSAGES);
                assertThat(container.handled() + container.failed()).as("handled + failed after close")
                    .isEqualTo(received);
                assertThat(container.failed()).isZero();
                assertThat(worker.started.get()).as("handler calls started").isEqualTo(received);
                assertThat(worker.completed.get()).as("handler calls completed").isEqualTo(received);
                assertThat(closing).as("duration of the close").isLessThan(LINGER.plusSeconds(2));
            }
            finally {
                stream.stop();
            }
            assertThat(stream.sent.get()).isGreaterThanOrEqualTo(container.received());
        }));
    }

    /** A thread sending numbered messages as fast as the socket takes them until stopped. */
    private static final class Stream {

        final AtomicLong sent = new AtomicLong();

        final AtomicReference<Throwable> failure = new AtomicReference<>();

        private final AtomicBoolean stopped = new AtomicBoolean();

        private final Thread thread;

        Stream(Client client) {
            this.thread = new Thread(() -> {
                while (!this.stopped.get()) {
                    try {
                        client.send(utf8("message " + this.sent.get()));
                        this.sent.incrementAndGet();
                    }
                    catch (ZmqException ex) {
                        // EAGAIN: the HWM is reached; anything else once the listener's side closed
                        if (ex.error() != ZmqError.EAGAIN && ex.error() != ZmqError.EHOSTUNREACH) {
                            this.failure.compareAndSet(null, ex);
                        }
                    }
                    catch (RuntimeException ex) {
                        this.failure.compareAndSet(null, ex);
                        return;
                    }
                }
            }, "steady-stream");
            this.thread.setDaemon(true);
        }

        void start() {
            this.thread.start();
        }

        void stop() throws InterruptedException {
            this.stopped.set(true);
            this.thread.join(TIMEOUT.toMillis());
            assertThat(this.thread.isAlive()).as("the sender thread stopped").isFalse();
        }
    }

    /** Small work per message; counts calls started and completed. */
    static class Worker {

        final AtomicLong started = new AtomicLong();

        final AtomicLong completed = new AtomicLong();

        @ZmqListener(id = "worker", peer = "alice", concurrency = "${test.concurrency}")
        void onMessage(byte[] payload) {
            this.started.incrementAndGet();
            long end = System.nanoTime() + 2_000;
            int checksum = 0;
            while (System.nanoTime() < end) {
                checksum += payload.length;
            }
            if (checksum >= 0) {
                this.completed.incrementAndGet();
            }
        }
    }
}
